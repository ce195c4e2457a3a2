//! Deadlines in working days, in Jakarta time, on 2026/2027 dates with Indonesia's real public
//! holidays.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use ronda_core::ReportStatus::{self, *};
use ronda_core::Timestamp;
use ronda_core::sla::{
    Flag, HolidayCalendar, SlaClock, SlaLimits, SlaPolicy, Step, add_working_days,
    working_ms_between,
};
use ronda_core::time::wib;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A moment in Jakarta time.
fn wib_at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    wib()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
        .into()
}

fn plus_ms(t: Timestamp, ms: i64) -> Timestamp {
    Timestamp::from_millis(t.millis() + ms).unwrap()
}

/// Independence Day, Christmas and New Year's Day.
fn holidays() -> HolidayCalendar {
    HolidayCalendar::parse_list(
        "# Libur nasional\n\
         2026-08-17  # Hari Kemerdekaan (Monday)\n\
         2026-12-25  # Natal (Friday)\n\
         2027-01-01  # Tahun Baru (Friday)\n",
    )
    .unwrap()
}

fn clock(history: &[(Timestamp, ReportStatus)], now: Timestamp) -> SlaClock {
    SlaClock::compute(history, now, &SlaPolicy::default(), &holidays())
}

#[test]
fn friday_afternoon_report_is_due_wednesday_afternoon() {
    let friday = wib_at(2026, 11, 27, 16, 0);
    let due = wib_at(2026, 12, 2, 16, 0);
    assert_eq!(add_working_days(&holidays(), friday, 3), due);
    assert_eq!(working_ms_between(&holidays(), friday, due), 3 * DAY);
    let c = clock(&[(friday, Baru)], wib_at(2026, 11, 30, 8, 0));
    assert_eq!(c.step, Some(Step::Verify));
    assert_eq!(c.step_started_at, Some(friday));
    assert_eq!(c.step_deadline, Some(due));
    // Six working days: Friday's last 8 hours, then Monday to Friday, then Monday until 16:00.
    assert_eq!(c.red_flag_deadline, Some(wib_at(2026, 12, 7, 16, 0)));
    assert_eq!(c.flag, Flag::OnTime);
}

#[test]
fn a_holiday_in_the_week_moves_the_deadline() {
    let friday = wib_at(2026, 8, 14, 16, 0);
    assert_eq!(
        add_working_days(&HolidayCalendar::default(), friday, 3),
        wib_at(2026, 8, 19, 16, 0)
    );
    // Monday 17 August is Independence Day.
    assert_eq!(
        add_working_days(&holidays(), friday, 3),
        wib_at(2026, 8, 20, 16, 0)
    );
    let independence_day = wib_at(2026, 8, 17, 0, 0);
    assert_eq!(
        working_ms_between(
            &holidays(),
            independence_day,
            plus_ms(independence_day, DAY)
        ),
        0
    );
    // A report made on the holiday itself starts counting the next morning.
    let made = wib_at(2026, 8, 17, 10, 30);
    assert_eq!(
        add_working_days(&holidays(), made, 1),
        wib_at(2026, 8, 19, 0, 0)
    );
}

#[test]
fn a_report_made_on_saturday_starts_counting_monday() {
    let saturday = wib_at(2026, 11, 28, 10, 0);
    let monday = wib_at(2026, 11, 30, 0, 0);
    assert_eq!(working_ms_between(&holidays(), saturday, monday), 0);
    assert_eq!(
        working_ms_between(&holidays(), saturday, wib_at(2026, 11, 30, 9, 0)),
        9 * HOUR
    );
    // Three whole days, Monday to Wednesday: due at the end of Wednesday.
    assert_eq!(
        add_working_days(&holidays(), saturday, 3),
        wib_at(2026, 12, 3, 0, 0)
    );
    assert_eq!(add_working_days(&holidays(), saturday, 0), saturday);
}

#[test]
fn year_end_holidays_push_deadlines_into_january() {
    let made = wib_at(2026, 12, 24, 12, 0); // Thursday, the day before Christmas
    // Thursday afternoon, then (Christmas, weekend) Monday and Tuesday, then Wednesday morning.
    assert_eq!(
        add_working_days(&holidays(), made, 3),
        wib_at(2026, 12, 30, 12, 0)
    );
    let history = [
        (made, Baru),
        (wib_at(2026, 12, 28, 10, 0), Diverifikasi),
        (wib_at(2026, 12, 28, 15, 0), Didisposisikan),
        (wib_at(2026, 12, 30, 9, 0), Diproses),
    ];
    let c = clock(&history, wib_at(2027, 1, 4, 13, 0));
    assert_eq!(c.step, Some(Step::Fix));
    assert_eq!(c.step_started_at, Some(wib_at(2026, 12, 30, 9, 0)));
    // Ten working days from Wednesday 30 December skip New Year's Day and two weekends.
    assert_eq!(c.step_deadline, Some(wib_at(2027, 1, 14, 9, 0)));
    // 12 + 24 × 4 hours in December, 24 on Monday 4 January, the last 12 on Tuesday.
    let red = wib_at(2027, 1, 5, 12, 0);
    assert_eq!(c.red_flag_deadline, Some(red));
    assert_eq!(c.flag, Flag::Amber, "23 working hours left on the red flag");
    let late = clock(&history, plus_ms(red, 1));
    assert_eq!((late.flag, late.overdue_working_ms), (Flag::Red, 1));
    assert!(late.escalates());
}

#[test]
fn amber_when_a_working_day_or_less_is_left() {
    let made = wib_at(2026, 11, 30, 9, 0); // Monday
    let history = [(made, Baru)];
    let due = wib_at(2026, 12, 3, 9, 0);
    assert_eq!(clock(&history, made).step_deadline, Some(due));
    let one_day_before = wib_at(2026, 12, 2, 9, 0);
    assert_eq!(
        clock(&history, plus_ms(one_day_before, -1)).flag,
        Flag::OnTime
    );
    assert_eq!(clock(&history, one_day_before).flag, Flag::Amber);
    assert_eq!(clock(&history, plus_ms(due, -1)).flag, Flag::Amber);
    assert_eq!(clock(&history, due).flag, Flag::Amber);
    assert_eq!(clock(&history, due).overdue_working_ms, 0);
}

#[test]
fn red_just_after_the_deadline() {
    let made = wib_at(2026, 11, 30, 9, 0);
    let history = [(made, Baru)];
    let due = wib_at(2026, 12, 3, 9, 0);
    let c = clock(&history, plus_ms(due, 1));
    assert_eq!((c.flag, c.overdue_working_ms), (Flag::Red, 1));
    assert!(c.escalates() && !clock(&history, due).escalates());
    // Overdue time counts working time only.
    let c = clock(&history, wib_at(2026, 12, 7, 9, 0));
    assert_eq!(c.overdue_working_ms, 2 * DAY);
}

#[test]
fn a_deadline_at_the_end_of_friday_is_red_over_the_weekend_by_zero_working_time() {
    let made = wib_at(2026, 11, 30, 0, 0); // Monday 00:00
    let policy = SlaPolicy::new(SlaLimits {
        verify_days: 5,
        ..SlaLimits::default()
    })
    .unwrap();
    let c = SlaClock::compute(
        &[(made, Baru)],
        wib_at(2026, 12, 5, 12, 0),
        &policy,
        &holidays(),
    );
    assert_eq!(c.step_deadline, Some(wib_at(2026, 12, 5, 0, 0)));
    assert_eq!((c.flag, c.overdue_working_ms), (Flag::Red, 0));
}

#[test]
fn the_red_flag_runs_across_steps() {
    let history = [
        (wib_at(2026, 11, 30, 9, 0), Baru),
        (wib_at(2026, 11, 30, 10, 0), Diverifikasi),
        (wib_at(2026, 11, 30, 11, 0), Didisposisikan),
        (wib_at(2026, 12, 1, 9, 0), Diproses),
    ];
    let red = wib_at(2026, 12, 8, 9, 0);
    let c = clock(&history, plus_ms(red, 1));
    assert_eq!(c.step_deadline, Some(wib_at(2026, 12, 15, 9, 0)));
    assert_eq!(c.red_flag_deadline, Some(red));
    assert_eq!((c.flag, c.overdue_working_ms), (Flag::Red, 1));
}

#[test]
fn a_reroute_starts_the_receiving_bodys_hand_over_clock() {
    let history = [
        (wib_at(2026, 11, 30, 9, 0), Baru),
        (wib_at(2026, 11, 30, 10, 0), Diverifikasi),
        (wib_at(2026, 11, 30, 11, 0), Didisposisikan),
        (wib_at(2026, 12, 2, 14, 0), BukanWewenang),
    ];
    let c = clock(&history, wib_at(2026, 12, 2, 15, 0));
    assert_eq!(c.step, Some(Step::HandOver));
    assert_eq!(c.step_started_at, Some(wib_at(2026, 12, 2, 14, 0)));
    assert_eq!(c.step_deadline, Some(wib_at(2026, 12, 3, 14, 0)));
    // A one-day step warns at half-time, not from its start.
    assert_eq!(c.flag, Flag::OnTime);
    assert_eq!(
        clock(&history, wib_at(2026, 12, 3, 1, 59)).flag,
        Flag::OnTime
    );
    assert_eq!(clock(&history, wib_at(2026, 12, 3, 2, 0)).flag, Flag::Amber);
}

#[test]
fn paused_while_fixed_then_reopened() {
    let fixed = [
        (wib_at(2026, 11, 30, 9, 0), Baru),
        (wib_at(2026, 11, 30, 10, 0), Diverifikasi),
        (wib_at(2026, 11, 30, 11, 0), Didisposisikan),
        (wib_at(2026, 12, 1, 9, 0), Diproses),
        (wib_at(2026, 12, 3, 15, 0), Selesai),
    ];
    // Weeks later the reporter has still not confirmed: nobody is late.
    let c = clock(&fixed, wib_at(2026, 12, 18, 10, 0));
    assert!(c.paused);
    assert_eq!(
        (c.step, c.step_deadline, c.red_flag_deadline),
        (None, None, None)
    );
    assert_eq!((c.flag, c.overdue_working_ms), (Flag::OnTime, 0));
    assert!(!c.escalates());

    let reopen = wib_at(2026, 12, 21, 10, 0); // Monday
    let mut reopened = fixed.to_vec();
    reopened.push((reopen, DibukaKembali));
    let c = clock(&reopened, wib_at(2026, 12, 21, 11, 0));
    assert!(!c.paused);
    assert_eq!(c.step, Some(Step::Verify));
    assert_eq!(c.step_started_at, Some(reopen));
    assert_eq!(c.step_deadline, Some(wib_at(2026, 12, 24, 10, 0)));
    // Monday to Thursday, Christmas and the weekend off, Monday and Tuesday, Wednesday morning.
    assert_eq!(c.red_flag_deadline, Some(wib_at(2026, 12, 30, 10, 0)));
    assert_eq!(c.flag, Flag::OnTime);
}

#[test]
fn a_reopen_restarts_the_red_flag() {
    let made = wib_at(2026, 11, 2, 9, 0); // Monday
    let history = [
        (made, Baru),
        (wib_at(2026, 11, 3, 9, 0), Diverifikasi),
        (wib_at(2026, 11, 3, 10, 0), Didisposisikan),
        (wib_at(2026, 11, 5, 9, 0), Diproses),
        // Fixed after the red flag's six days (due 10 November 09:00).
        (wib_at(2026, 11, 16, 9, 0), Selesai),
        (wib_at(2026, 11, 18, 9, 0), DibukaKembali),
        (wib_at(2026, 11, 18, 13, 0), Diverifikasi),
        (wib_at(2026, 11, 19, 10, 0), Didisposisikan),
        (wib_at(2026, 11, 20, 9, 0), Diproses),
    ];
    let before_fix = clock(&history[..4], wib_at(2026, 11, 12, 9, 0));
    assert_eq!(
        before_fix.red_flag_deadline,
        Some(wib_at(2026, 11, 10, 9, 0))
    );
    assert_eq!(before_fix.flag, Flag::Red);
    assert_eq!(before_fix.overdue_working_ms, 2 * DAY);

    let after_reopen = clock(&history[..7], wib_at(2026, 11, 18, 14, 0));
    assert_eq!(
        after_reopen.red_flag_deadline,
        Some(wib_at(2026, 11, 26, 9, 0))
    );
    assert_eq!(after_reopen.step, Some(Step::HandOver));
    assert_eq!(
        after_reopen.step_deadline,
        Some(wib_at(2026, 11, 19, 13, 0))
    );
    assert_eq!(after_reopen.overdue_working_ms, 0);

    // Six working days after the reopen, with the fix itself still on time.
    let red_again = clock(&history, wib_at(2026, 11, 26, 9, 1));
    assert_eq!(red_again.step_deadline, Some(wib_at(2026, 12, 4, 9, 0)));
    assert_eq!(red_again.flag, Flag::Red);
    assert_eq!(red_again.overdue_working_ms, 60_000);
}

#[test]
fn closed_reports_have_no_clock() {
    let made = wib_at(2026, 1, 5, 9, 0);
    let long_after = wib_at(2027, 6, 1, 9, 0);
    for (path, closing) in [
        (&[][..], Ditolak),
        (&[][..], Duplikat),
        (
            &[Diverifikasi, Didisposisikan, Diproses, Selesai][..],
            Dikonfirmasi,
        ),
        (
            &[Diverifikasi, Didisposisikan, Diproses][..],
            DitutupTidakDiperbaiki,
        ),
    ] {
        let mut history = vec![(made, Baru)];
        for (i, &s) in path.iter().chain([&closing]).enumerate() {
            history.push((wib_at(2026, 2, 2 + i as u32, 9, 0), s));
        }
        let c = clock(&history, long_after);
        assert_eq!(c.step, None, "{closing}");
        assert_eq!(c.step_started_at, None);
        assert_eq!((c.step_deadline, c.red_flag_deadline), (None, None));
        assert_eq!((c.flag, c.overdue_working_ms), (Flag::OnTime, 0));
        assert!(!c.paused);
    }
}

#[test]
fn a_stricter_policy_shortens_the_steps() {
    let policy = SlaPolicy::new(SlaLimits {
        verify_days: 1,
        amber_within_hours: 4,
        ..SlaLimits::default()
    })
    .unwrap();
    let made = wib_at(2026, 11, 30, 9, 0);
    let c = SlaClock::compute(
        &[(made, Baru)],
        wib_at(2026, 12, 1, 4, 0),
        &policy,
        &holidays(),
    );
    assert_eq!(c.step_deadline, Some(wib_at(2026, 12, 1, 9, 0)));
    assert_eq!(c.flag, Flag::OnTime, "five hours left, amber from four");
}

// Properties over mid-2025 to 2028, with the real holidays and random extra ones.

const START: i64 = 1_748_710_800_000; // 2025-06-01 00:00 WIB
const SPAN_DAYS: i64 = 940;

fn moment() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        (0..SPAN_DAYS * DAY).prop_map(|ms| Timestamp::from_millis(START + ms).unwrap()),
        // Midnight in Jakarta, where the edge cases are.
        (0..SPAN_DAYS).prop_map(|d| Timestamp::from_millis(START + d * DAY).unwrap()),
    ]
}

/// Mostly a few days, as the limits are, sometimes years.
fn days() -> impl Strategy<Value = u32> {
    prop_oneof![0u32..12, 0u32..800]
}

fn calendar() -> impl Strategy<Value = HolidayCalendar> {
    (prop::collection::vec(0..SPAN_DAYS, 0..40), any::<bool>()).prop_map(|(days, real)| {
        let first = date("2025-06-01");
        let mut dates: Vec<NaiveDate> = days.iter().map(|&d| first + Duration::days(d)).collect();
        if real {
            dates.extend(holidays().holidays());
        }
        HolidayCalendar::new(dates)
    })
}

/// Working time counted the slow way: day by day with chrono's calendar.
fn by_day(cal: &HolidayCalendar, from: Timestamp, to: Timestamp) -> i64 {
    let mut total = 0;
    let mut day = from.in_wib().date_naive();
    while day <= to.in_wib().date_naive() {
        let start = wib()
            .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap())
            .unwrap()
            .timestamp_millis();
        let (lo, hi) = (start.max(from.millis()), (start + DAY).min(to.millis()));
        if cal.is_working_day(day) && hi > lo {
            total += hi - lo;
        }
        day = day.succ_opt().unwrap();
    }
    total
}

proptest! {
    #[test]
    fn matches_a_day_by_day_count(cal in calendar(), a in moment(), b in moment()) {
        prop_assert_eq!(working_ms_between(&cal, a, b), by_day(&cal, a, b));
    }

    #[test]
    fn working_time_adds_up_over_a_split(cal in calendar(), mut t in [moment(), moment(), moment()]) {
        t.sort();
        let [a, b, c] = t;
        prop_assert_eq!(
            working_ms_between(&cal, a, c),
            working_ms_between(&cal, a, b) + working_ms_between(&cal, b, c)
        );
    }

    #[test]
    fn working_time_is_never_more_than_wall_time(cal in calendar(), a in moment(), b in moment()) {
        let w = working_ms_between(&cal, a, b);
        prop_assert!(w >= 0);
        prop_assert!(w <= (b.millis() - a.millis()).max(0));
    }

    #[test]
    fn a_weekend_holds_no_working_time(week in 0..SPAN_DAYS / 7, x in 0..2 * DAY, y in 0..2 * DAY) {
        // 2025-06-07 is a Saturday.
        let saturday = START + 6 * DAY + week * 7 * DAY;
        let cal = HolidayCalendar::default();
        let (a, b) = (
            Timestamp::from_millis(saturday + x.min(y)).unwrap(),
            Timestamp::from_millis(saturday + x.max(y)).unwrap(),
        );
        prop_assert_eq!(working_ms_between(&cal, a, b), 0);
        // And a whole week from any moment holds exactly five working days.
        let a_week_later = Timestamp::from_millis(a.millis() + 7 * DAY).unwrap();
        prop_assert_eq!(working_ms_between(&cal, a, a_week_later), 5 * DAY);
    }

    #[test]
    fn adding_days_inverts_counting(cal in calendar(), from in moment(), days in days()) {
        let due = add_working_days(&cal, from, days);
        prop_assert_eq!(working_ms_between(&cal, from, due), i64::from(days) * DAY);
        if days > 0 {
            // The first such moment, not a later one.
            let just_before = Timestamp::from_millis(due.millis() - 1).unwrap();
            prop_assert!(working_ms_between(&cal, from, just_before) < i64::from(days) * DAY);
        }
    }

    #[test]
    fn more_days_means_a_later_deadline(cal in calendar(), from in moment(), days in days()) {
        prop_assert!(add_working_days(&cal, from, days) < add_working_days(&cal, from, days + 1));
    }

    #[test]
    fn a_holiday_never_makes_a_deadline_earlier(
        cal in calendar(),
        extra in 0..SPAN_DAYS,
        from in moment(),
        days in days(),
    ) {
        let mut more: Vec<NaiveDate> = cal.holidays().collect();
        more.push(date("2025-06-01") + Duration::days(extra));
        let more = HolidayCalendar::new(more);
        prop_assert!(add_working_days(&more, from, days) >= add_working_days(&cal, from, days));
    }
}
