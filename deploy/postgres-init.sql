-- One PostgreSQL server, one database per concern (docker-compose runs this once).
CREATE DATABASE tracker;
CREATE DATABASE console;
CREATE DATABASE dossiers;
