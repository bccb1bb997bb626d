"""The staffing plan: arrivals and visit lengths learned from an office's tickets, cabinets per hour simulated."""
