//! EXIF position and capture time. Bad or missing metadata never fails a
//! photo: each value that cannot be trusted is simply `None`.

use std::io::Cursor;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use exif::{Exif, In, Tag, Value};

use super::{ExifGps, PhotoExif};

/// Offset assumed when a capture time has no OffsetTimeOriginal: Asia/Jakarta (UTC+7).
const JAKARTA_OFFSET_MINUTES: i16 = 7 * 60;

/// Reads the GPS position and capture time from JPEG, PNG or WebP bytes.
pub fn read_exif(bytes: &[u8]) -> PhotoExif {
    let Some(exif) = parse(bytes) else {
        return PhotoExif::default();
    };
    PhotoExif {
        gps: gps(&exif),
        taken_at: taken_at(&exif),
    }
}

/// Keeps whatever parsed when some unrelated EXIF entry is broken.
fn parse(bytes: &[u8]) -> Option<Exif> {
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    match reader.read_from_container(&mut Cursor::new(bytes)) {
        Ok(exif) => Some(exif),
        Err(exif::Error::PartialResult(partial)) => Some(partial.into_inner().0),
        Err(_) => None,
    }
}

/// `None` for (0, 0), which cameras write when they had no fix, and for
/// out-of-range values or a missing hemisphere reference.
fn gps(exif: &Exif) -> Option<ExifGps> {
    let lat = coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'N', b'S')?;
    let lon = coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'E', b'W')?;
    let in_range = lat.abs() <= 90.0 && lon.abs() <= 180.0;
    let null_island = lat == 0.0 && lon == 0.0;
    (in_range && !null_island).then_some(ExifGps { lat, lon })
}

/// Degrees, minutes and seconds rationals plus a hemisphere letter, as signed degrees.
fn coordinate(exif: &Exif, value: Tag, reference: Tag, positive: u8, negative: u8) -> Option<f64> {
    let sign = match ascii(exif, reference)?.first()?.to_ascii_uppercase() {
        letter if letter == positive => 1.0,
        letter if letter == negative => -1.0,
        _ => return None,
    };
    let Value::Rational(parts) = &exif.get_field(value, In::PRIMARY)?.value else {
        return None;
    };
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let degrees: f64 = parts
        .iter()
        .zip([1.0, 60.0, 3600.0])
        .map(|(part, per_degree)| part.to_f64() / per_degree)
        .sum();
    degrees.is_finite().then_some(sign * degrees)
}

/// DateTimeOriginal in UTC, using OffsetTimeOriginal or else Jakarta time.
fn taken_at(exif: &Exif) -> Option<DateTime<Utc>> {
    let mut local = exif::DateTime::from_ascii(ascii(exif, Tag::DateTimeOriginal)?).ok()?;
    let offset_minutes = ascii(exif, Tag::OffsetTimeOriginal)
        .and_then(|raw| local.parse_offset(raw).ok().and(local.offset))
        .unwrap_or(JAKARTA_OFFSET_MINUTES);
    let offset = FixedOffset::east_opt(i32::from(offset_minutes) * 60)?;
    let naive = NaiveDate::from_ymd_opt(
        i32::from(local.year),
        u32::from(local.month),
        u32::from(local.day),
    )?
    .and_hms_opt(
        u32::from(local.hour),
        u32::from(local.minute),
        u32::from(local.second),
    )?;
    let at = naive.and_local_timezone(offset).single()?;
    Some(at.with_timezone(&Utc))
}

fn ascii(exif: &Exif, tag: Tag) -> Option<&[u8]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(values) => values.first().map(Vec::as_slice),
        _ => None,
    }
}
