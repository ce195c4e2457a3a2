//! Turning free text into search terms that work for Indonesian: lowercased words reduced to
//! their stems, so `kebanjiran`, `banjirnya` and `banjir` all find one another, and `berlubang`
//! finds `lubang`.
//!
//! The Snowball Indonesian stemmer removes the nasal prefixes `meN-`/`peN-` but cannot restore
//! the consonant they swallowed (`menumpuk` → `umpuk`, root `tumpuk`; `penerangan` → `erang`,
//! root `terang`). Such words get a second term with the likely consonant put back, so both
//! spellings meet.
//!
//! The device's full-text index stores [`index_terms`]; queries use [`query_terms`]; [`matches`]
//! states the meaning plainly so the index can be checked against it.

use waken_snowball::{Algorithm, stem};

/// Nasal prefixes and the consonant each one replaced, longest first.
const NASAL_PREFIXES: [(&str, char); 8] = [
    ("meng", 'k'),
    ("peng", 'k'),
    ("meny", 's'),
    ("peny", 's'),
    ("men", 't'),
    ("pen", 't'),
    ("mem", 'p'),
    ("pem", 'p'),
];

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// The terms one word may stand for: its stem, and when a nasal prefix swallowed a consonant,
/// the stem with that consonant restored.
fn word_terms(word: &str) -> Vec<String> {
    let lower = word.to_lowercase();
    if !lower.chars().all(|c| c.is_ascii_lowercase()) {
        // Numbers, codes like `rt07` and non-Latin words are matched as typed.
        return vec![lower];
    }
    let stemmed = stem(Algorithm::Indonesian, &lower).into_owned();
    let mut out = vec![stemmed.clone()];
    let restored = NASAL_PREFIXES.iter().find_map(|(prefix, consonant)| {
        let rest = lower.strip_prefix(prefix)?;
        (rest.starts_with(&stemmed) && stemmed.starts_with(is_vowel))
            .then(|| format!("{consonant}{stemmed}"))
    });
    out.extend(restored);
    out
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Every term a text is found by.
pub fn index_terms(text: &str) -> Vec<String> {
    words(text).flat_map(word_terms).collect()
}

/// A query as groups of alternatives: every group must match, by any one of its terms.
pub fn query_terms(query: &str) -> Vec<Vec<String>> {
    words(query).map(word_terms).collect()
}

/// Whether `text` is found by `query`: the meaning of a text search, written plainly.
pub fn matches(text: &str, query: &str) -> bool {
    let have = index_terms(text);
    let want = query_terms(query);
    !want.is_empty()
        && want
            .iter()
            .all(|group| group.iter().any(|t| have.contains(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_affixes_meet_at_the_stem() {
        assert!(matches("Rumah warga kebanjiran sejak subuh", "banjir"));
        assert!(matches("banjir lagi", "kebanjiran"));
        assert!(matches("Jalan berlubang besar", "lubang"));
        assert!(matches("Got tersumbat sampah", "sumbat"));
        assert!(matches("Sampahnya menumpuk di pojok gang", "sampah tumpuk"));
        assert!(matches("sampah ditumpuk", "menumpuk"));
        assert!(matches("Penerangan jalan kurang", "terang"));
        assert!(matches("korban dilecehkan", "pelecehan"));
        assert!(matches("Lampu PJU mati di RT07", "pju"));
        assert!(matches("Lampu PJU mati di RT07", "rt07"));
        assert!(!matches("Jalan berlubang", "banjir"));
        assert!(!matches("anything", "   "));
        // English works too, matched as words.
        assert!(matches(
            "Street light broken near the mosque",
            "mosque light"
        ));
    }

    #[test]
    fn terms_are_lowercase_and_free_of_punctuation() {
        for t in index_terms("Pohon TUMBANG!!! di Jl. Merdeka, 3x — bahaya...") {
            assert!(t.chars().all(char::is_alphanumeric), "{t:?}");
            assert_eq!(t, t.to_lowercase());
        }
    }
}
