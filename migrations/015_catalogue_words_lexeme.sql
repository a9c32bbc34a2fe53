-- Search asks whether a product or category name holds a word's stem ("correa": the catalogue calls its
-- leash that, so the word is a product's and not the need "correr" mistyped). catalogue_words has one row
-- per name word, tens of thousands on a large catalogue: read by stem, not scanned.
CREATE INDEX catalogue_words_lexeme ON catalogue_words (lexeme);
