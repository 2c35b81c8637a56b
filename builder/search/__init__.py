"""The site's own search: a chunked static index made from the content
(not from built HTML), read by a small script in the browser (assets/)."""
