-- Kabar (the in-app inbox): the moment up to which the signed-in person has read the news.
ALTER TABLE session ADD COLUMN kabar_read_at INTEGER;
