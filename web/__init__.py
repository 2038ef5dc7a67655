"""The web server beside Rasa: the citizens' chat widget with its demo page, and the officers'
console."""
