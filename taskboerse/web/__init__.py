"""The web layer: one blueprint per area; views parse, authorise, call a service, render."""
