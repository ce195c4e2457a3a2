//! The lurah's walk list: in the field, the kelurahan's reports still to verify, nearest first
//! by an estimate of the walking distance from where the lurah stands.

use crate::location::Coordinate;

/// How much longer a walk is than the straight line. Jakarta's kampung are reached through
/// alleys (`gang`) that wind around blocks; 1.3 is the usual urban detour (circuity) factor.
pub const DETOUR_FACTOR: f64 = 1.3;

/// An unhurried walk through narrow, busy alleys: 4.5 km/h, i.e. 75 m a minute.
pub const WALK_SPEED_M_PER_MIN: f64 = 4_500.0 / 60.0;

/// One report on the walk list.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop<T> {
    pub item: T,
    /// Estimated walking distance: the straight line times [`DETOUR_FACTOR`].
    pub distance_m: f64,
    /// Walking time at [`WALK_SPEED_M_PER_MIN`], rounded up to the whole minute.
    pub walk_minutes: u32,
}

/// The estimated walking distance between two points, in metres.
pub fn walking_distance_m(from: &Coordinate, to: &Coordinate) -> f64 {
    from.distance_m(to) * DETOUR_FACTOR
}

/// Whole minutes to walk `walking_m` metres, rounded up (a report 10 m away is a minute away).
pub fn walk_minutes(walking_m: f64) -> u32 {
    (walking_m / WALK_SPEED_M_PER_MIN).ceil() as u32
}

/// The items as stops, nearest first from `here`; items equally far keep their given order.
pub fn field_queue<T>(
    here: Coordinate,
    items: impl IntoIterator<Item = (T, Coordinate)>,
) -> Vec<Stop<T>> {
    let mut stops: Vec<Stop<T>> = items
        .into_iter()
        .map(|(item, at)| {
            let distance_m = walking_distance_m(&here, &at);
            Stop {
                item,
                distance_m,
                walk_minutes: walk_minutes(distance_m),
            }
        })
        .collect();
    stops.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
    stops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(lat: f64, lon: f64) -> Coordinate {
        Coordinate::new(lat, lon).unwrap()
    }

    #[test]
    fn nearest_first() {
        let here = c(-6.2, 106.8);
        let stops = field_queue(
            here,
            [
                ("far", c(-6.21, 106.8)),
                ("near", c(-6.2005, 106.8)),
                ("middle", c(-6.2, 106.805)),
            ],
        );
        let order: Vec<_> = stops.iter().map(|s| s.item).collect();
        assert_eq!(order, ["near", "middle", "far"]);
        let straight = here.distance_m(&c(-6.21, 106.8));
        assert!((stops[2].distance_m - straight * DETOUR_FACTOR).abs() < 1e-9);
        // About 1.1 km in a straight line, 1.45 km walking: 20 minutes.
        assert_eq!(stops[2].walk_minutes, 20);
    }

    #[test]
    fn ties_keep_their_order() {
        let here = c(-6.2, 106.8);
        let spot = c(-6.201, 106.801);
        let items = [
            (1, spot),
            (2, c(-6.2001, 106.8)),
            (3, spot),
            (4, spot),
            (5, here),
        ];
        let order: Vec<_> = field_queue(here, items).iter().map(|s| s.item).collect();
        assert_eq!(order, [5, 2, 1, 3, 4]);
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(walk_minutes(0.0), 0);
        assert_eq!(walk_minutes(0.5), 1);
        assert_eq!(walk_minutes(75.0), 1);
        assert_eq!(walk_minutes(75.01), 2);
        assert_eq!(walk_minutes(750.0), 10);
        let here = c(-6.2, 106.8);
        let stops = field_queue(here, [((), here)]);
        assert_eq!((stops[0].distance_m, stops[0].walk_minutes), (0.0, 0));
    }

    #[test]
    fn nothing_to_visit() {
        let stops = field_queue::<u32>(c(-6.2, 106.8), []);
        assert!(stops.is_empty());
    }
}
