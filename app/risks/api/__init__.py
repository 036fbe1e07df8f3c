"""HTTP for the risk domain: the working list and its Excel (`points`), published lists and the
grading convention (`lists`), and the four-color map (`maps`)."""
