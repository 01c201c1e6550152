"""How the generated Python spells things: names, literals, reserved words and docstring prose."""
