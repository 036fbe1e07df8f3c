"""Classification (分级分类监管): each enterprise scored 0–100 and leveled 良好/正常/提醒/警示."""
