//! Identifiers. Every entity and every op gets a UUIDv7 made on the device that created it, so a
//! retry carries the same id and is harmless, and ids sort by creation time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::{Coded, Lang};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("{0:?} is not a UUID")]
    Malformed(String),
    #[error("{0} is not a version 7 UUID")]
    NotV7(Uuid),
}

impl Coded for IdError {
    fn code(&self) -> &'static str {
        "ID_INVALID"
    }
    fn message(&self, lang: Lang) -> String {
        match self {
            IdError::Malformed(s) => lang.pick(
                format!("{s:?} bukan ID yang sah"),
                format!("{s:?} is not a valid id"),
            ),
            IdError::NotV7(u) => lang.pick(
                format!("ID {u} bukan UUID versi 7"),
                format!("id {u} is not a version 7 UUID"),
            ),
        }
    }
}

macro_rules! uuid7_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "Uuid", into = "Uuid")]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh id for something made now on this device.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl TryFrom<Uuid> for $name {
            type Error = IdError;
            fn try_from(u: Uuid) -> Result<Self, IdError> {
                if u.get_version_num() == 7 { Ok(Self(u)) } else { Err(IdError::NotV7(u)) }
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                let u = Uuid::parse_str(s.trim()).map_err(|_| IdError::Malformed(s.to_owned()))?;
                Self::try_from(u)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.as_hyphenated().fmt(f)
            }
        }
    };
}

uuid7_id!(
    /// A report of any kind.
    ReportId
);
uuid7_id!(
    /// One change made on a device and queued for the server; the unit of idempotency.
    OpId
);
uuid7_id!(
    /// A daily "nihil" patrol check-in.
    PatrolId
);
uuid7_id!(
    /// A person with an account.
    UserId
);
uuid7_id!(
    /// One phone or computer a person signed in on; each has its own refresh token.
    DeviceId
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn v7_ids_round_trip_and_others_are_refused(bytes in prop::array::uniform16(any::<u8>())) {
            let any = Uuid::from_bytes(bytes);
            match ReportId::try_from(any) {
                Ok(id) => {
                    prop_assert_eq!(any.get_version_num(), 7);
                    prop_assert_eq!(id.to_string().parse::<ReportId>().unwrap(), id);
                    let json = serde_json::to_string(&id).unwrap();
                    prop_assert_eq!(serde_json::from_str::<ReportId>(&json).unwrap(), id);
                }
                Err(e) => {
                    prop_assert_ne!(any.get_version_num(), 7);
                    prop_assert_eq!(e.code(), "ID_INVALID");
                    prop_assert!(any.to_string().parse::<OpId>().is_err());
                }
            }
        }

        #[test]
        fn text_that_is_not_a_uuid_is_refused(s in "\\PC{0,40}") {
            prop_assume!(Uuid::parse_str(s.trim()).is_err());
            let refused = matches!(s.parse::<UserId>(), Err(IdError::Malformed(_)));
            prop_assert!(refused);
        }
    }

    #[test]
    fn new_ids_are_v7_and_ordered_by_time() {
        let a = DeviceId::new();
        std::thread::sleep(std::time::Duration::from_millis(2));
        let b = DeviceId::new();
        assert!(a < b && a.as_uuid().get_version_num() == 7);
    }
}
