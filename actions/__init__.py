"""The Rasa action server: procedure answers, feedback and fallbacks, and the dossier lookup
(actions.dossiers)."""
