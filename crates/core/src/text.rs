//! Free text a person typed: trimmed, bounded, printable.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Coded, Lang};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("the text is empty")]
    Empty,
    #[error("the text has {len} characters; at most {max} are allowed")]
    TooLong { len: usize, max: usize },
    #[error("the text contains a control character U+{0:04X}")]
    ControlCharacter(u32),
    #[error("the text is not valid UTF-8")]
    NotUtf8,
}

impl Coded for TextError {
    fn code(&self) -> &'static str {
        match self {
            TextError::Empty => "TEXT_EMPTY",
            TextError::TooLong { .. } => "TEXT_TOO_LONG",
            TextError::ControlCharacter(_) => "TEXT_CONTROL_CHARACTER",
            TextError::NotUtf8 => "TEXT_NOT_UTF8",
        }
    }
    fn message(&self, lang: Lang) -> String {
        match self {
            TextError::Empty => lang.pick("teks kosong", "the text is empty").into(),
            TextError::TooLong { len, max } => lang.pick(
                format!("teks terlalu panjang: {len} karakter, paling banyak {max}"),
                format!("the text is too long: {len} characters, at most {max}"),
            ),
            TextError::ControlCharacter(c) => lang.pick(
                format!("teks berisi karakter kendali U+{c:04X} yang tidak boleh"),
                format!("the text contains a control character U+{c:04X}, which is not allowed"),
            ),
            TextError::NotUtf8 => lang
                .pick("teks bukan UTF-8 yang sah", "the text is not valid UTF-8")
                .into(),
        }
    }
}

/// A report's description: 1..=4,000 characters (Open311's bound) after trimming, line breaks
/// and tabs allowed, no other control characters. `\r\n` is stored as `\n`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

impl Description {
    pub const MAX_CHARS: usize = 4_000;

    pub fn parse(input: &str) -> Result<Self, TextError> {
        let normalised = input.replace("\r\n", "\n");
        let trimmed = normalised.trim();
        if trimmed.is_empty() {
            return Err(TextError::Empty);
        }
        if let Some(c) = trimmed
            .chars()
            .find(|&c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(TextError::ControlCharacter(c as u32));
        }
        let len = trimmed.chars().count();
        if len > Self::MAX_CHARS {
            return Err(TextError::TooLong {
                len,
                max: Self::MAX_CHARS,
            });
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn parse_bytes(input: &[u8]) -> Result<Self, TextError> {
        std::str::from_utf8(input)
            .map_err(|_| TextError::NotUtf8)
            .and_then(Self::parse)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Description {
    type Error = TextError;
    fn try_from(s: String) -> Result<Self, TextError> {
        Self::parse(&s)
    }
}

impl From<Description> for String {
    fn from(d: Description) -> String {
        d.0
    }
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn trims_and_keeps_indonesian_and_english() {
        let d = Description::parse(
            "  Jalan berlubang di depan warung Bu Siti, sudah 2 minggu.\r\nDangerous at night.  ",
        )
        .unwrap();
        assert_eq!(
            d.as_str(),
            "Jalan berlubang di depan warung Bu Siti, sudah 2 minggu.\nDangerous at night."
        );
    }

    #[test]
    fn refuses_bad_text() {
        assert_eq!(
            Description::parse(" \n\t ").unwrap_err().code(),
            "TEXT_EMPTY"
        );
        assert_eq!(
            Description::parse("ada\u{0}nol").unwrap_err().code(),
            "TEXT_CONTROL_CHARACTER"
        );
        assert_eq!(
            Description::parse("bel\u{7}").unwrap_err().code(),
            "TEXT_CONTROL_CHARACTER"
        );
        assert_eq!(
            Description::parse("esc\u{1b}[31m").unwrap_err().code(),
            "TEXT_CONTROL_CHARACTER"
        );
        assert_eq!(
            Description::parse(&"a".repeat(4001)).unwrap_err().code(),
            "TEXT_TOO_LONG"
        );
        assert_eq!(
            Description::parse_bytes(b"jalan \xff rusak")
                .unwrap_err()
                .code(),
            "TEXT_NOT_UTF8"
        );
        // The bound counts characters, not bytes.
        assert!(Description::parse(&"é".repeat(4000)).is_ok());
        assert!(serde_json::from_str::<Description>("\"   \"").is_err());
    }

    proptest! {
        #[test]
        fn printable_text_round_trips(s in "[\\p{L}\\p{N}\\p{P}\\p{S}][\\p{L}\\p{N}\\p{P}\\p{S} \n]{0,300}") {
            let d = Description::parse(&s).unwrap();
            prop_assert_eq!(d.as_str(), s.trim());
            let back: Description = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
            prop_assert_eq!(back, d);
        }

        #[test]
        fn any_control_character_is_refused(prefix in "[a-z][a-z ]{0,19}", c in prop::char::range('\u{0}', '\u{1f}'), suffix in "[a-z]{1,5}") {
            prop_assume!(c != '\n' && c != '\t' && c != '\r');
            let s = format!("{prefix}{c}{suffix}");
            prop_assert!(matches!(Description::parse(&s), Err(TextError::ControlCharacter(_))));
        }

        #[test]
        fn overlong_text_is_refused(n in 4001usize..6000) {
            let s = "x".repeat(n);
            prop_assert!(matches!(Description::parse(&s), Err(TextError::TooLong { .. })), "len {}", n);
        }
    }
}
