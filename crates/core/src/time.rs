//! Time. Stored as UTC with millisecond precision; shown in Asia/Jakarta (WIB, UTC+7, which
//! has had no daylight saving since 1964, so a fixed offset is exact).

use std::fmt;

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

const WIB_OFFSET_SECONDS: i32 = 7 * 3600;

pub fn wib() -> FixedOffset {
    FixedOffset::east_opt(WIB_OFFSET_SECONDS).expect("+07:00 is a valid offset")
}

/// A moment, in UTC, to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "DateTime<Utc>", into = "DateTime<Utc>")]
pub struct Timestamp(DateTime<Utc>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("time out of range: {0} ms since 1970")]
pub struct TimeOutOfRange(pub i64);

impl Timestamp {
    pub fn now() -> Self {
        Self::truncate(Utc::now())
    }

    pub fn from_millis(ms: i64) -> Result<Self, TimeOutOfRange> {
        Utc.timestamp_millis_opt(ms)
            .single()
            .map(Self)
            .ok_or(TimeOutOfRange(ms))
    }

    pub fn millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    pub fn utc(&self) -> DateTime<Utc> {
        self.0
    }

    pub fn in_wib(&self) -> DateTime<FixedOffset> {
        self.0.with_timezone(&wib())
    }

    /// How a person reads this moment: `30 Nov 2026 14:05 WIB`, with Indonesian or English
    /// month names.
    pub fn display_wib(&self, lang: Lang) -> String {
        let local = self.in_wib();
        let month = chrono::Datelike::month0(&local) as usize;
        let names = lang.pick(MONTHS_ID, MONTHS_EN);
        format!(
            "{} {} {} {} WIB",
            chrono::Datelike::day(&local),
            names[month],
            chrono::Datelike::year(&local),
            local.format("%H:%M")
        )
    }

    pub fn rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    fn truncate(t: DateTime<Utc>) -> Self {
        Self(
            Utc.timestamp_millis_opt(t.timestamp_millis())
                .single()
                .unwrap_or(t),
        )
    }
}

const MONTHS_ID: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Self::truncate(t)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(t: Timestamp) -> Self {
        t.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_jakarta_time() {
        // 2026-11-30T07:05:00Z is 14:05 in Jakarta.
        let t = Timestamp::from_millis(1_796_022_300_000).unwrap();
        assert_eq!(t.rfc3339(), "2026-11-30T07:05:00.000Z");
        assert_eq!(t.display_wib(Lang::Id), "30 Nov 2026 14:05 WIB");
        let aug = Timestamp::from_millis(1_786_000_000_000).unwrap();
        assert!(
            aug.display_wib(Lang::Id).contains(" Agu "),
            "{}",
            aug.display_wib(Lang::Id)
        );
        assert!(aug.display_wib(Lang::En).contains(" Aug "));
    }

    #[test]
    fn keeps_milliseconds_only() {
        let t: Timestamp = Utc.timestamp_opt(1, 123_456_789).unwrap().into();
        assert_eq!(t.millis(), 1_123);
    }
}
