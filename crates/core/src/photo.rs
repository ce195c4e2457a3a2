//! What a report knows about its photos. The pixels live on the device and the server, named
//! by their SHA-256; the domain holds only the names and what the camera said.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::i18n::{Coded, Lang};
use crate::location::Coordinate;
use crate::time::Timestamp;

/// A SHA-256 digest as 64 lowercase hex digits: the name of a blob.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a SHA-256 digest (64 lowercase hex digits)")]
pub struct Sha256Error(pub String);

impl Coded for Sha256Error {
    fn code(&self) -> &'static str {
        "PHOTO_NAME_INVALID"
    }
    fn message(&self, lang: Lang) -> String {
        lang.pick(
            format!("{:?} bukan nama foto yang sah", self.0),
            format!("{:?} is not a valid photo name", self.0),
        )
    }
}

impl Sha256Hex {
    pub fn parse(s: &str) -> Result<Self, Sha256Error> {
        if s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(Self(s.to_owned()))
        } else {
            Err(Sha256Error(s.to_owned()))
        }
    }

    pub fn from_digest(digest: &[u8; 32]) -> Self {
        use fmt::Write;
        let mut s = String::with_capacity(64);
        for b in digest {
            let _ = write!(s, "{b:02x}");
        }
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Sha256Hex {
    type Error = Sha256Error;
    fn try_from(s: String) -> Result<Self, Sha256Error> {
        Self::parse(&s)
    }
}

impl From<Sha256Hex> for String {
    fn from(h: Sha256Hex) -> String {
        h.0
    }
}

impl fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One photo attached to a report: the shrunk copy, its thumbnail, and the position and time the
/// camera recorded (kept to cross-check the report's own location; never published).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub sha256: Sha256Hex,
    pub thumb_sha256: Sha256Hex,
    pub width: u32,
    pub height: u32,
    pub bytes: u64,
    pub exif_position: Option<Coordinate>,
    pub taken_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn digests_round_trip(d in prop::array::uniform32(any::<u8>())) {
            let h = Sha256Hex::from_digest(&d);
            prop_assert_eq!(Sha256Hex::parse(h.as_str()).unwrap(), h);
        }

        #[test]
        fn non_digests_are_refused(s in "[0-9a-fA-Z]{0,70}") {
            prop_assume!(!(s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))));
            prop_assert!(Sha256Hex::parse(&s).is_err());
        }
    }
}
