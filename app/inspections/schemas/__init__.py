"""Request and response shapes of the inspections domain."""
