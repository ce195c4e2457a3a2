//! Service levels: how long each step of a report may take, counted in working days in Jakarta
//! time, and whether a report is on time, nearly due (amber) or overdue (red).
//!
//! # Working time
//!
//! - A working day is Monday to Friday, unless the [`HolidayCalendar`] lists it. A working day
//!   counts in full, from 00:00 to 24:00 WIB (UTC+7); weekends and holidays do not count at all.
//! - "N working days after a moment" is the moment at which N × 24 hours of working time have
//!   passed since it: a report made Friday 16:00 with 3 working days is due Wednesday 16:00; one
//!   made on a Saturday starts counting Monday 00:00 and is due at the end of Wednesday
//!   (Thursday 00:00). A deadline is the first moment the time is used up, so a deadline at the
//!   end of a Friday is Saturday 00:00, not the following Monday.
//!
//! # Steps
//!
//! Each open status runs the clock of one step, with its own limit in [`SlaPolicy`]:
//!
//! | status                     | step        | default limit | who acts                    |
//! |----------------------------|-------------|---------------|-----------------------------|
//! | `baru`, `dibuka_kembali`   | verify      | 3 days        | the lurah                   |
//! | `diverifikasi`             | hand over   | 1 day         | the kelurahan, to an agency |
//! | `bukan_wewenang`           | hand over   | 1 day         | the body it was re-routed to|
//! | `didisposisikan`           | plan        | 5 days        | the agency plans or starts  |
//! | `diproses`                 | fix         | 10 days       | the agency                  |
//! | `selesai`                  | (paused)    |               | the reporter confirms       |
//! | `ditolak`, `duplikat`, `dikonfirmasi`, `ditutup_tidak_diperbaiki` | (closed) | | nobody |
//!
//! - A step's clock starts when the report enters its status (a repeated entry of the same
//!   status does not restart it) and its deadline is the step's limit in working days later.
//! - The city's red flag runs beside the steps: a report not yet fixed 6 working days after it
//!   was made is red, whatever step it is in. Time spent in `selesai` (waiting on the reporter)
//!   does not count towards it. A reopen (`dibuka_kembali`) restarts the red flag from the
//!   reopen moment and starts a fresh verify step.
//! - Each clock is red once its deadline has passed, amber while at most
//!   [`SlaLimits::amber_within_hours`] of working time remain (24 hours by default) or half of
//!   the clock's whole time, whichever is less (so a one-day step such as the hand-over turns
//!   amber at half-time, not at its start), and on time otherwise. A
//!   report's [`Flag`] is the worse of its step clock and its red flag; a red report escalates
//!   to the camat.
//! - While a report is `selesai` it has no step and no deadline and is on time. A closed report
//!   has no clock at all.
//! - How overdue a report is counts working time only: a report due at the end of a Friday is
//!   red on Saturday but overdue by 0 working hours until Monday.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::i18n::{Coded, Lang};
use crate::report::ReportStatus;
use crate::sync::ServerReport;
use crate::time::{Timestamp, wib};

const DAY_MS: i64 = 86_400_000;
const HOUR_MS: i64 = 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlaError {
    #[error("holiday list line {line}: {text:?} is not a date written YYYY-MM-DD")]
    BadHolidayDate { line: usize, text: String },
    #[error("SLA limit {field} must be at least 1, got {value}")]
    PolicyInvalid { field: &'static str, value: u32 },
}

impl Coded for SlaError {
    fn code(&self) -> &'static str {
        match self {
            SlaError::BadHolidayDate { .. } => "SLA_HOLIDAY_INVALID",
            SlaError::PolicyInvalid { .. } => "SLA_POLICY_INVALID",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match self {
            SlaError::BadHolidayDate { line, text } => lang.pick(
                format!("daftar hari libur baris {line}: {text:?} bukan tanggal TTTT-BB-HH"),
                format!("holiday list line {line}: {text:?} is not a date written YYYY-MM-DD"),
            ),
            SlaError::PolicyInvalid { field, value } => lang.pick(
                format!("batas waktu {field} harus paling sedikit 1, bukan {value}"),
                format!("time limit {field} must be at least 1, not {value}"),
            ),
        }
    }
}

/// The days off besides weekends: national holidays and collective leave (`cuti bersama`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<NaiveDate>", into = "Vec<NaiveDate>")]
pub struct HolidayCalendar {
    dates: BTreeSet<NaiveDate>,
    /// The holidays falling Monday to Friday as days since 1970-01-01, sorted: what the
    /// working-time arithmetic counts with a binary search.
    weekday_holidays: Vec<i64>,
}

impl HolidayCalendar {
    pub fn new(dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        let dates: BTreeSet<NaiveDate> = dates.into_iter().collect();
        let weekday_holidays = dates
            .iter()
            .filter(|d| is_weekday(**d))
            .map(|d| day_number(*d))
            .collect();
        Self {
            dates,
            weekday_holidays,
        }
    }

    /// Reads one date (`YYYY-MM-DD`) per line. Blank lines and everything after a `#` are
    /// ignored, so a line may name its holiday: `2026-08-17  # Hari Kemerdekaan`.
    pub fn parse_list(text: &str) -> Result<Self, SlaError> {
        let mut dates = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = if i == 0 {
                line.trim_start_matches('\u{feff}')
            } else {
                line
            };
            let text = line.split('#').next().unwrap_or("").trim();
            if text.is_empty() {
                continue;
            }
            let date = text
                .parse::<NaiveDate>()
                .ok()
                .filter(|d| d.format("%Y-%m-%d").to_string() == text)
                .ok_or_else(|| SlaError::BadHolidayDate {
                    line: i + 1,
                    text: text.to_owned(),
                })?;
            dates.push(date);
        }
        Ok(Self::new(dates))
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        is_weekday(date) && !self.dates.contains(&date)
    }

    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.dates.iter().copied()
    }

    fn is_working_day_number(&self, day: i64) -> bool {
        weekday_index(day) < 5 && self.weekday_holidays.binary_search(&day).is_err()
    }

    /// Weekday holidays in the days `from..to`.
    fn holidays_in(&self, from: i64, to: i64) -> i64 {
        let lo = self.weekday_holidays.partition_point(|&d| d < from);
        let hi = self.weekday_holidays.partition_point(|&d| d < to);
        (hi - lo) as i64
    }

    /// Working days in the days `from..to`.
    fn working_days_in(&self, from: i64, to: i64) -> i64 {
        if to <= from {
            return 0;
        }
        weekdays_in(from, to) - self.holidays_in(from, to)
    }

    /// The working day that is the `n`th (counting from 0) at or after day `from`.
    fn nth_working_day(&self, mut from: i64, mut n: i64) -> i64 {
        loop {
            let day = nth_weekday(from, n);
            let skipped = self.holidays_in(from, day + 1);
            if skipped == 0 {
                return day;
            }
            from = day + 1;
            n = skipped - 1;
        }
    }
}

impl From<Vec<NaiveDate>> for HolidayCalendar {
    fn from(dates: Vec<NaiveDate>) -> Self {
        Self::new(dates)
    }
}

impl From<HolidayCalendar> for Vec<NaiveDate> {
    fn from(cal: HolidayCalendar) -> Self {
        cal.dates.into_iter().collect()
    }
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Days since 1970-01-01 (day 719 163 of the common era).
fn day_number(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - 719_163
}

/// 0 for Monday to 6 for Sunday; 1970-01-01 was a Thursday.
fn weekday_index(day: i64) -> i64 {
    (day + 3).rem_euclid(7)
}

/// Mondays to Fridays in the days `from..to` (`from < to`).
fn weekdays_in(from: i64, to: i64) -> i64 {
    let days = to - from;
    let start = weekday_index(from);
    let partial = (0..days % 7).filter(|i| (start + i) % 7 < 5).count() as i64;
    days / 7 * 5 + partial
}

/// The `n`th (counting from 0) Monday-to-Friday day at or after day `from`.
fn nth_weekday(from: i64, n: i64) -> i64 {
    let w = weekday_index(from);
    let (monday, w) = if w >= 5 {
        (from + 7 - w, 0)
    } else {
        (from - w, w)
    };
    monday + (w + n) / 5 * 7 + (w + n) % 5
}

/// Milliseconds since 1970-01-01 00:00 WIB.
fn local_ms(t: Timestamp) -> i64 {
    t.millis() + i64::from(wib().local_minus_utc()) * 1000
}

fn from_local_ms(ms: i64) -> Timestamp {
    let utc = ms - i64::from(wib().local_minus_utc()) * 1000;
    Timestamp::from_millis(utc)
        .unwrap_or_else(|_| Timestamp::from(chrono::DateTime::<chrono::Utc>::MAX_UTC))
}

/// Working time, in milliseconds, between two moments: only the parts of `from..to` that fall
/// on working days count. 0 if `to` is not after `from`.
pub fn working_ms_between(cal: &HolidayCalendar, from: Timestamp, to: Timestamp) -> i64 {
    let (a, b) = (local_ms(from), local_ms(to));
    if b <= a {
        return 0;
    }
    let (da, db) = (a.div_euclid(DAY_MS), b.div_euclid(DAY_MS));
    let part = |day: i64, ms: i64| {
        if cal.is_working_day_number(day) {
            ms
        } else {
            0
        }
    };
    if da == db {
        return part(da, b - a);
    }
    part(da, (da + 1) * DAY_MS - a)
        + cal.working_days_in(da + 1, db) * DAY_MS
        + part(db, b - db * DAY_MS)
}

/// The moment at which `days` × 24 hours of working time have passed since `from`. Past the
/// last moment chrono can represent (some 260 000 years away) it gives that last moment.
pub fn add_working_days(cal: &HolidayCalendar, from: Timestamp, days: u32) -> Timestamp {
    add_working_ms(cal, from, i64::from(days) * DAY_MS)
}

/// The first moment at which `ms` of working time have passed since `from`.
fn add_working_ms(cal: &HolidayCalendar, from: Timestamp, ms: i64) -> Timestamp {
    if ms <= 0 {
        return from;
    }
    let a = local_ms(from);
    let mut day = a.div_euclid(DAY_MS);
    let mut left = ms;
    if cal.is_working_day_number(day) {
        let rest_of_day = (day + 1) * DAY_MS - a;
        if left <= rest_of_day {
            return from_local_ms(a + left);
        }
        left -= rest_of_day;
    }
    day += 1;
    let whole_days = (left - 1) / DAY_MS;
    let last_day = cal.nth_working_day(day, whole_days);
    from_local_ms(last_day * DAY_MS + left - whole_days * DAY_MS)
}

/// A step a report goes through, each with its own time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// The lurah checks the report.
    Verify,
    /// A verified or re-routed report is handed to the agency that must fix it.
    HandOver,
    /// The agency plans the work or starts it.
    Plan,
    /// The agency fixes the problem.
    Fix,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Verify, Step::HandOver, Step::Plan, Step::Fix];

    pub fn code(self) -> &'static str {
        match self {
            Step::Verify => "verify",
            Step::HandOver => "hand_over",
            Step::Plan => "plan",
            Step::Fix => "fix",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Step::Verify => lang.pick("verifikasi lurah", "verification by the lurah"),
            Step::HandOver => lang.pick("penyerahan ke dinas", "hand-over to an agency"),
            Step::Plan => lang.pick("rencana kerja dinas", "agency's plan of work"),
            Step::Fix => lang.pick("perbaikan", "fix"),
        }
    }
}

/// What a status does to the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClockMode {
    Running(Step),
    /// Fixed, waiting on the reporter to confirm or reopen.
    Paused,
    Closed,
}

impl ClockMode {
    pub fn of(status: ReportStatus) -> Self {
        use ReportStatus::*;
        match status {
            Baru | DibukaKembali => ClockMode::Running(Step::Verify),
            Diverifikasi | BukanWewenang => ClockMode::Running(Step::HandOver),
            Didisposisikan => ClockMode::Running(Step::Plan),
            Diproses => ClockMode::Running(Step::Fix),
            Selesai => ClockMode::Paused,
            Ditolak | Duplikat | Dikonfirmasi | DitutupTidakDiperbaiki => ClockMode::Closed,
        }
    }
}

/// The limits as configured, before they are checked; build a [`SlaPolicy`] from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SlaLimits {
    pub verify_days: u32,
    pub hand_over_days: u32,
    pub plan_days: u32,
    pub fix_days: u32,
    /// The city's rule: not fixed this many working days after being made (or reopened) is red.
    pub red_flag_days: u32,
    pub amber_within_hours: u32,
}

impl Default for SlaLimits {
    fn default() -> Self {
        Self {
            verify_days: 3,
            hand_over_days: 1,
            plan_days: 5,
            fix_days: 10,
            red_flag_days: 6,
            amber_within_hours: 24,
        }
    }
}

/// Checked time limits, in working days (amber in working hours), every one at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "SlaLimits", into = "SlaLimits")]
pub struct SlaPolicy(SlaLimits);

impl SlaPolicy {
    pub fn new(limits: SlaLimits) -> Result<Self, SlaError> {
        let SlaLimits {
            verify_days,
            hand_over_days,
            plan_days,
            fix_days,
            red_flag_days,
            amber_within_hours,
        } = limits;
        for (field, value) in [
            ("verify_days", verify_days),
            ("hand_over_days", hand_over_days),
            ("plan_days", plan_days),
            ("fix_days", fix_days),
            ("red_flag_days", red_flag_days),
            ("amber_within_hours", amber_within_hours),
        ] {
            if value < 1 {
                return Err(SlaError::PolicyInvalid { field, value });
            }
        }
        Ok(Self(limits))
    }

    pub fn limits(&self) -> &SlaLimits {
        &self.0
    }

    pub fn step_days(&self, step: Step) -> u32 {
        match step {
            Step::Verify => self.0.verify_days,
            Step::HandOver => self.0.hand_over_days,
            Step::Plan => self.0.plan_days,
            Step::Fix => self.0.fix_days,
        }
    }

    fn amber_within_ms(&self) -> i64 {
        i64::from(self.0.amber_within_hours) * HOUR_MS
    }
}

impl TryFrom<SlaLimits> for SlaPolicy {
    type Error = SlaError;
    fn try_from(limits: SlaLimits) -> Result<Self, SlaError> {
        SlaPolicy::new(limits)
    }
}

impl From<SlaPolicy> for SlaLimits {
    fn from(policy: SlaPolicy) -> Self {
        policy.0
    }
}

/// Worst last: `Flag::OnTime < Flag::Amber < Flag::Red`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    OnTime,
    Amber,
    Red,
}

impl Flag {
    pub fn code(self) -> &'static str {
        match self {
            Flag::OnTime => "on_time",
            Flag::Amber => "amber",
            Flag::Red => "red",
        }
    }

    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Flag::OnTime => lang.pick("tepat waktu", "on time"),
            Flag::Amber => lang.pick("hampir jatuh tempo", "due soon"),
            Flag::Red => lang.pick("terlambat", "overdue"),
        }
    }
}

/// The deadlines a city counts with: its limits per step and its holidays. The server's admins
/// set them; devices fetch them and count the same way offline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Deadlines {
    pub policy: SlaPolicy,
    pub holidays: HolidayCalendar,
}

impl Deadlines {
    /// Where `report` stands against its deadlines at `now`.
    pub fn clock(&self, report: &ServerReport, now: Timestamp) -> SlaClock {
        SlaClock::compute(&report.status_timeline(), now, &self.policy, &self.holidays)
    }
}

/// Where a report stands against its deadlines at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaClock {
    pub step: Option<Step>,
    pub step_started_at: Option<Timestamp>,
    pub step_deadline: Option<Timestamp>,
    pub red_flag_deadline: Option<Timestamp>,
    pub flag: Flag,
    /// Fixed and waiting on the reporter.
    pub paused: bool,
    /// Working time past the more overdue of the two deadlines; 0 when on time.
    pub overdue_working_ms: i64,
}

impl SlaClock {
    const NONE: SlaClock = SlaClock {
        step: None,
        step_started_at: None,
        step_deadline: None,
        red_flag_deadline: None,
        flag: Flag::OnTime,
        paused: false,
        overdue_working_ms: 0,
    };

    /// The clocks of a report at `now`, from its statuses in time order, the first being its
    /// creation as `baru` (an entry dated before the one above it is read as happening with
    /// it). An empty history has no clock.
    pub fn compute(
        history: &[(Timestamp, ReportStatus)],
        now: Timestamp,
        policy: &SlaPolicy,
        cal: &HolidayCalendar,
    ) -> SlaClock {
        let mut entries = Vec::with_capacity(history.len());
        for &(at, status) in history {
            let at = entries.last().map_or(at, |&(prev, _)| at.max(prev));
            entries.push((at, status));
        }
        let Some(&(_, current)) = entries.last() else {
            return SlaClock::NONE;
        };
        let step = match ClockMode::of(current) {
            ClockMode::Closed => return SlaClock::NONE,
            ClockMode::Paused => {
                return SlaClock {
                    paused: true,
                    ..SlaClock::NONE
                };
            }
            ClockMode::Running(step) => step,
        };

        let run = entries
            .iter()
            .rposition(|&(_, s)| s != current)
            .map_or(0, |i| i + 1);
        let started = entries[run].0;
        let step_deadline = add_working_days(cal, started, policy.step_days(step));
        let (step_flag, step_overdue) = if now > step_deadline {
            (Flag::Red, working_ms_between(cal, step_deadline, now))
        } else {
            let left = working_ms_between(cal, now, step_deadline);
            let limit = i64::from(policy.step_days(step)) * DAY_MS;
            (amber_or_on_time(left, limit, policy), 0)
        };

        let (red_deadline, red_used) = red_flag_clock(&entries, now, policy, cal);
        let red_limit = i64::from(policy.limits().red_flag_days) * DAY_MS;
        let (red_flag, red_overdue) = if now > red_deadline {
            (Flag::Red, (red_used - red_limit).max(0))
        } else {
            (amber_or_on_time(red_limit - red_used, red_limit, policy), 0)
        };

        SlaClock {
            step: Some(step),
            step_started_at: Some(started),
            step_deadline: Some(step_deadline),
            red_flag_deadline: Some(red_deadline),
            flag: step_flag.max(red_flag),
            paused: false,
            overdue_working_ms: step_overdue.max(red_overdue),
        }
    }

    /// Red reports go up to the camat.
    pub fn escalates(&self) -> bool {
        self.flag == Flag::Red
    }
}

/// Amber with at most the policy's warning time left, or half the clock's `limit_ms` when that is
/// less: a warning from the very start warns of nothing.
fn amber_or_on_time(left_ms: i64, limit_ms: i64, policy: &SlaPolicy) -> Flag {
    if left_ms <= policy.amber_within_ms().min(limit_ms / 2) {
        Flag::Amber
    } else {
        Flag::OnTime
    }
}

/// The red-flag deadline of a report whose last entry runs a step, and the working time counted
/// towards it by `now`. The clock starts at creation or the last reopen and skips paused time.
fn red_flag_clock(
    entries: &[(Timestamp, ReportStatus)],
    now: Timestamp,
    policy: &SlaPolicy,
    cal: &HolidayCalendar,
) -> (Timestamp, i64) {
    let limit = i64::from(policy.limits().red_flag_days) * DAY_MS;
    let start = entries
        .iter()
        .rposition(|&(_, s)| s == ReportStatus::DibukaKembali)
        .unwrap_or(0);
    let mut used = 0;
    let mut deadline = None;
    for (i, &(from, status)) in entries.iter().enumerate().skip(start) {
        if !matches!(ClockMode::of(status), ClockMode::Running(_)) {
            continue;
        }
        let last = i + 1 == entries.len();
        let to = if last { now } else { entries[i + 1].0 };
        let segment = working_ms_between(cal, from, to);
        if deadline.is_none() && (last || used + segment >= limit) {
            deadline = Some(add_working_ms(cal, from, limit - used));
        }
        used += segment;
    }
    let deadline = deadline.expect("the last entry runs a step, so it sets the deadline");
    (deadline, used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32) -> Timestamp {
        wib()
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap()
            .with_timezone(&chrono::Utc)
            .into()
    }

    #[test]
    fn day_arithmetic_agrees_with_chrono() {
        let cal = HolidayCalendar::new([date("2026-08-17"), date("2026-08-22")]);
        let epoch = date("1970-01-01");
        for offset in -800..800 {
            let d = date("2026-08-01") + Duration::days(offset);
            let n = day_number(d);
            assert_eq!(epoch + Duration::days(n), d);
            assert_eq!(
                weekday_index(n),
                i64::from(d.weekday().num_days_from_monday())
            );
            assert_eq!(cal.is_working_day_number(n), cal.is_working_day(d), "{d}");
        }
        // Saturday the 22nd is a weekend day anyway: only Monday the 17th is counted.
        assert_eq!(cal.weekday_holidays, vec![day_number(date("2026-08-17"))]);
    }

    #[test]
    fn counts_and_finds_weekdays() {
        let monday = day_number(date("2026-11-30"));
        assert_eq!(weekdays_in(monday, monday + 7), 5);
        assert_eq!(weekdays_in(monday + 5, monday + 7), 0);
        assert_eq!(weekdays_in(monday + 4, monday + 8), 2);
        assert_eq!(nth_weekday(monday + 5, 0), monday + 7);
        assert_eq!(nth_weekday(monday + 2, 3), monday + 7);
        assert_eq!(nth_weekday(monday, 10), monday + 14);
        let cal = HolidayCalendar::new([date("2026-12-01"), date("2026-12-02")]);
        assert_eq!(cal.nth_working_day(monday, 1), monday + 3);
        assert_eq!(cal.working_days_in(monday, monday + 7), 3);
    }

    #[test]
    fn whole_working_day() {
        let cal = HolidayCalendar::default();
        let monday = at(2026, 11, 30, 0);
        assert_eq!(add_working_days(&cal, monday, 1), at(2026, 12, 1, 0));
        assert_eq!(add_working_days(&cal, monday, 5), at(2026, 12, 5, 0));
        assert_eq!(add_working_days(&cal, monday, 0), monday);
        // Friday's whole day ends at Saturday 00:00, not Monday 00:00.
        assert_eq!(
            add_working_days(&cal, at(2026, 12, 4, 0), 1),
            at(2026, 12, 5, 0)
        );
        assert_eq!(
            working_ms_between(&cal, monday, at(2026, 12, 7, 0)),
            5 * DAY_MS
        );
    }

    #[test]
    fn huge_spans_saturate_instead_of_panicking() {
        let cal = HolidayCalendar::default();
        let far = add_working_days(&cal, at(2026, 1, 1, 0), u32::MAX);
        assert_eq!(
            far,
            Timestamp::from(chrono::DateTime::<chrono::Utc>::MAX_UTC)
        );
    }

    #[test]
    fn holiday_lists_parse_with_comments_and_report_bad_lines() {
        let cal = HolidayCalendar::parse_list(
            "\u{feff}# Libur nasional 2026\n\n2026-08-17  # Hari Kemerdekaan\n  2026-12-25\n",
        )
        .unwrap();
        assert_eq!(
            cal.holidays().collect::<Vec<_>>(),
            [date("2026-08-17"), date("2026-12-25")]
        );
        for (text, line, bad) in [
            ("2026-08-17\n2026-8-18\n", 2, "2026-8-18"),
            ("17-08-2026", 1, "17-08-2026"),
            ("\n\n2026-02-30 # no such day", 3, "2026-02-30"),
        ] {
            let e = HolidayCalendar::parse_list(text).unwrap_err();
            assert_eq!(
                e,
                SlaError::BadHolidayDate {
                    line,
                    text: bad.into()
                }
            );
            assert_eq!(e.code(), "SLA_HOLIDAY_INVALID");
            assert!(e.message(Lang::Id).contains("baris"));
            assert!(e.message(Lang::En).contains("line"));
        }
    }

    #[test]
    fn calendars_serialise_as_sorted_dates() {
        let cal = HolidayCalendar::new([date("2027-01-01"), date("2026-12-25")]);
        let json = serde_json::to_string(&cal).unwrap();
        assert_eq!(json, r#"["2026-12-25","2027-01-01"]"#);
        let back: HolidayCalendar =
            serde_json::from_str(r#"["2027-01-01","2026-12-25","2027-01-01"]"#).unwrap();
        assert_eq!(back, cal);
        assert!(serde_json::from_str::<HolidayCalendar>(r#"["2026-13-01"]"#).is_err());
    }

    #[test]
    fn policies_are_checked() {
        let policy = SlaPolicy::default();
        assert_eq!(
            Step::ALL.map(|s| policy.step_days(s)),
            [3, 1, 5, 10],
            "the defaults"
        );
        assert_eq!(policy.limits().red_flag_days, 6);
        let e = SlaPolicy::new(SlaLimits {
            plan_days: 0,
            ..SlaLimits::default()
        })
        .unwrap_err();
        assert_eq!(e.code(), "SLA_POLICY_INVALID");
        assert!(e.message(Lang::En).contains("plan_days"));
        let partial: SlaPolicy = serde_json::from_str(r#"{"fix_days":15}"#).unwrap();
        assert_eq!(partial.step_days(Step::Fix), 15);
        assert_eq!(partial.step_days(Step::Verify), 3);
        assert!(serde_json::from_str::<SlaPolicy>(r#"{"amber_within_hours":0}"#).is_err());
        assert!(serde_json::from_str::<SlaPolicy>(r#"{"fix_dayz":15}"#).is_err());
        let json = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<SlaPolicy>(&json).unwrap(), policy);
    }

    #[test]
    fn every_status_has_a_clock_mode() {
        use ReportStatus::*;
        for status in ReportStatus::ALL {
            let mode = ClockMode::of(status);
            assert_eq!(mode == ClockMode::Closed, !status.is_open(), "{status}");
        }
        assert_eq!(
            ClockMode::of(BukanWewenang),
            ClockMode::Running(Step::HandOver)
        );
        assert_eq!(ClockMode::of(Selesai), ClockMode::Paused);
    }

    #[test]
    fn a_repeated_status_does_not_restart_its_step() {
        use ReportStatus::*;
        let cal = HolidayCalendar::default();
        let history = [
            (at(2026, 11, 30, 9), Baru),
            (at(2026, 11, 30, 10), Diverifikasi),
            (at(2026, 11, 30, 11), Didisposisikan),
            (at(2026, 12, 1, 9), Didisposisikan),
        ];
        let clock = SlaClock::compute(&history, at(2026, 12, 1, 12), &SlaPolicy::default(), &cal);
        assert_eq!(clock.step, Some(Step::Plan));
        assert_eq!(clock.step_started_at, Some(at(2026, 11, 30, 11)));
        assert_eq!(clock.step_deadline, Some(at(2026, 12, 7, 11)));
    }

    #[test]
    fn leaving_selesai_without_a_reopen_resumes_the_red_flag() {
        // Not a path today's lifecycle allows (selesai only leads to a confirm or a reopen),
        // but the rule holds for any history: paused time does not count.
        use ReportStatus::*;
        let cal = HolidayCalendar::default();
        let history = [
            (at(2026, 11, 30, 0), Baru), // Monday
            (at(2026, 12, 1, 0), Diproses),
            (at(2026, 12, 2, 0), Selesai), // two working days used
            (at(2026, 12, 9, 0), Diproses),
        ];
        let clock = SlaClock::compute(&history, at(2026, 12, 9, 1), &SlaPolicy::default(), &cal);
        // Four working days left from Wednesday 9 December: due the end of Monday the 14th.
        assert_eq!(clock.red_flag_deadline, Some(at(2026, 12, 15, 0)));
        assert_eq!(clock.step_deadline, Some(at(2026, 12, 23, 0)));
        assert_eq!(clock.flag, Flag::OnTime);
    }

    #[test]
    fn an_empty_history_has_no_clock() {
        let clock = SlaClock::compute(
            &[],
            at(2026, 1, 1, 0),
            &SlaPolicy::default(),
            &HolidayCalendar::default(),
        );
        assert_eq!(clock.step, None);
        assert_eq!(clock.flag, Flag::OnTime);
        assert!(!clock.paused);
    }
}
