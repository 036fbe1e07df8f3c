"""The demo world: a development zone's authority with its region tree, enterprises and accounts,
plus a second authority so isolation can be tried. Built only by `flask demo load`."""
