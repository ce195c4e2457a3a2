//! Photo pipeline tests. Every fixture is generated here; no binary files.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ExtendedColorType, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use ronda_client::photo::{
    self, FULL_LONG_EDGE, FULL_TARGET_MAX_BYTES, MAX_INPUT_BYTES, PhotoError, PhotoExif,
    ProcessedPhoto, SourceFormat, THUMB_LONG_EDGE,
};
use sha2::{Digest, Sha256};

const SECRET: &str = "RONDA-SECRET-MARKER-7f3a";

// ---------------------------------------------------------------- fixtures

/// Smooth gradients, separable texture and per-pixel noise: compresses roughly like a photo.
fn photo_like(width: u32, height: u32, seed: u64) -> RgbImage {
    synthesize(width, height, seed, 10.0, 18.0)
}

/// At 1600x1200, about 200 KB at quality 82.
fn calm_photo(width: u32, height: u32, seed: u64) -> RgbImage {
    synthesize(width, height, seed, 4.0, 12.0)
}

/// At 1600x1200, over the byte target at quality 82.
fn busy_photo(width: u32, height: u32, seed: u64) -> RgbImage {
    synthesize(width, height, seed, 14.0, 24.0)
}

fn synthesize(width: u32, height: u32, seed: u64, noise: f32, texture: f32) -> RgbImage {
    let mut rng = StdRng::seed_from_u64(seed);
    let wave = |n: u32, period: f32, phase: f32, amplitude: f32| -> Vec<f32> {
        (0..n)
            .map(|i| amplitude * (i as f32 / period + phase).sin())
            .collect()
    };
    let columns = [
        wave(width, 410.0, 0.0, 55.0),
        wave(width, 330.0, 1.0, 45.0),
        wave(width, 570.0, 2.0, 40.0),
    ];
    let rows = [
        wave(height, 290.0, 0.5, 45.0),
        wave(height, 380.0, 1.5, 40.0),
        wave(height, 450.0, 2.5, 50.0),
    ];
    let texture_x = wave(width, 3.1, 0.0, 1.0);
    let texture_y = wave(height, 4.3, 0.0, texture);
    // Bulk random bytes and plain loops: this file is built without optimisation.
    let (width, height) = (width as usize, height as usize);
    let mut noise_bytes = vec![0u8; width * height];
    rng.fill_bytes(&mut noise_bytes);
    let mut pixels = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            let jitter = (f32::from(noise_bytes[y * width + x]) / 127.5 - 1.0) * noise;
            let shared = 128.0 + texture_x[x] * texture_y[y] + jitter;
            for c in 0..3 {
                pixels.push((shared + columns[c][x] + rows[c][y]).clamp(0.0, 255.0) as u8);
            }
        }
    }
    RgbImage::from_raw(width as u32, height as u32, pixels).unwrap()
}

/// Left half red, right half blue: shows which way a rotation went.
fn two_tone(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    })
}

fn jpeg_bytes(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

fn png_bytes(image: &DynamicImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = PngEncoder::new(&mut out);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .unwrap();
    out
}

fn webp_bytes(image: &DynamicImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = WebPEncoder::new_lossless(&mut out);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .unwrap();
    out
}

/// Inserts whole segments (marker included) right after SOI.
fn with_segments(jpeg: &[u8], segments: &[Vec<u8>]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    for segment in segments {
        out.extend_from_slice(segment);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len() + 2).unwrap();
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

fn app1_exif(tiff: &[u8]) -> Vec<u8> {
    segment(0xE1, &[b"Exif\0\0".as_slice(), tiff].concat())
}

// ------------------------------------------------------- EXIF (TIFF) builder

struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    data: Vec<u8>,
}

fn ascii(tag: u16, text: &str) -> Entry {
    let mut data = text.as_bytes().to_vec();
    data.push(0);
    Entry {
        tag,
        kind: 2,
        count: data.len() as u32,
        data,
    }
}

fn short(tag: u16, value: u16) -> Entry {
    Entry {
        tag,
        kind: 3,
        count: 1,
        data: value.to_le_bytes().to_vec(),
    }
}

fn long(tag: u16, value: u32) -> Entry {
    Entry {
        tag,
        kind: 4,
        count: 1,
        data: value.to_le_bytes().to_vec(),
    }
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let data = values
        .iter()
        .flat_map(|(num, den)| [num.to_le_bytes(), den.to_le_bytes()].concat())
        .collect();
    Entry {
        tag,
        kind: 5,
        count: values.len() as u32,
        data,
    }
}

fn ifd_len(entries: &[Entry]) -> usize {
    let out_of_line: usize = entries
        .iter()
        .filter(|e| e.data.len() > 4)
        .map(|e| e.data.len().next_multiple_of(2))
        .sum();
    2 + 12 * entries.len() + 4 + out_of_line
}

fn write_ifd(out: &mut Vec<u8>, entries: &[Entry]) {
    let mut data_at = out.len() + 2 + 12 * entries.len() + 4;
    let mut data = Vec::new();
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for entry in entries {
        out.extend_from_slice(&entry.tag.to_le_bytes());
        out.extend_from_slice(&entry.kind.to_le_bytes());
        out.extend_from_slice(&entry.count.to_le_bytes());
        if entry.data.len() <= 4 {
            let mut inline = entry.data.clone();
            inline.resize(4, 0);
            out.extend_from_slice(&inline);
        } else {
            out.extend_from_slice(&(data_at as u32).to_le_bytes());
            data.extend_from_slice(&entry.data);
            if entry.data.len() % 2 == 1 {
                data.push(0);
            }
            data_at += entry.data.len().next_multiple_of(2);
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&data);
}

/// A little-endian TIFF with IFD0 and, when non-empty, the Exif and GPS sub-IFDs.
fn tiff(mut ifd0: Vec<Entry>, exif_ifd: Vec<Entry>, gps_ifd: Vec<Entry>) -> Vec<u8> {
    const EXIF_POINTER: u16 = 0x8769;
    const GPS_POINTER: u16 = 0x8825;
    if !exif_ifd.is_empty() {
        ifd0.push(long(EXIF_POINTER, 0));
    }
    if !gps_ifd.is_empty() {
        ifd0.push(long(GPS_POINTER, 0));
    }
    ifd0.sort_by_key(|e| e.tag);
    let exif_at = 8 + ifd_len(&ifd0);
    let gps_at = exif_at
        + if exif_ifd.is_empty() {
            0
        } else {
            ifd_len(&exif_ifd)
        };
    for entry in &mut ifd0 {
        match entry.tag {
            EXIF_POINTER => entry.data = (exif_at as u32).to_le_bytes().to_vec(),
            GPS_POINTER => entry.data = (gps_at as u32).to_le_bytes().to_vec(),
            _ => {}
        }
    }
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&8u32.to_le_bytes());
    write_ifd(&mut out, &ifd0);
    if !exif_ifd.is_empty() {
        write_ifd(&mut out, &exif_ifd);
    }
    if !gps_ifd.is_empty() {
        write_ifd(&mut out, &gps_ifd);
    }
    out
}

/// EXIF as a Jakarta phone would write it; `None` leaves a field out.
struct ExifSpec<'a> {
    orientation: Option<u16>,
    description: Option<&'a str>,
    taken: Option<&'a str>,
    offset: Option<&'a str>,
    lat: Option<(&'a str, [(u32, u32); 3])>,
    lon: Option<(&'a str, [(u32, u32); 3])>,
}

/// 6°10'30.5"S 106°49'40.2"E, Monas.
const MONAS_LAT: (&str, [(u32, u32); 3]) = ("S", [(6, 1), (10, 1), (305, 10)]);
const MONAS_LON: (&str, [(u32, u32); 3]) = ("E", [(106, 1), (49, 1), (402, 10)]);

impl Default for ExifSpec<'_> {
    fn default() -> Self {
        Self {
            orientation: None,
            description: Some(SECRET),
            taken: Some("2024:03:15 14:30:00"),
            offset: None,
            lat: Some(MONAS_LAT),
            lon: Some(MONAS_LON),
        }
    }
}

impl ExifSpec<'_> {
    fn tiff(&self) -> Vec<u8> {
        let mut ifd0 = vec![ascii(0x010F, "RondaCam"), ascii(0x0110, SECRET)];
        ifd0.extend(self.orientation.map(|o| short(0x0112, o)));
        ifd0.extend(self.description.map(|d| ascii(0x010E, d)));
        let mut exif_ifd = Vec::new();
        exif_ifd.extend(self.taken.map(|t| ascii(0x9003, t)));
        exif_ifd.extend(self.offset.map(|o| ascii(0x9011, o)));
        let mut gps_ifd = Vec::new();
        if let Some((reference, dms)) = self.lat {
            gps_ifd.push(ascii(0x0001, reference));
            gps_ifd.push(rationals(0x0002, &dms));
        }
        if let Some((reference, dms)) = self.lon {
            gps_ifd.push(ascii(0x0003, reference));
            gps_ifd.push(rationals(0x0004, &dms));
        }
        tiff(ifd0, exif_ifd, gps_ifd)
    }

    fn jpeg(&self, image: &RgbImage) -> Vec<u8> {
        with_segments(&jpeg_bytes(image, 90), &[app1_exif(&self.tiff())])
    }
}

// ---------------------------------------------------------- JPEG inspection

/// Every marker in the file, in order: header segments are skipped by length,
/// entropy-coded data byte-wise (ignoring `FF 00` stuffing and RSTn).
fn jpeg_markers(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(jpeg[..2], [0xFF, 0xD8], "missing SOI");
    let mut markers = vec![0xD8];
    let mut pos = 2;
    let mut in_scan = false;
    while pos + 1 < jpeg.len() {
        if jpeg[pos] != 0xFF {
            assert!(in_scan, "expected a marker at byte {pos}");
            pos += 1;
            continue;
        }
        let marker = jpeg[pos + 1];
        if in_scan && (marker == 0x00 || (0xD0..=0xD7).contains(&marker)) {
            pos += 2;
            continue;
        }
        markers.push(marker);
        if marker == 0xD9 {
            assert_eq!(pos + 2, jpeg.len(), "data after EOI");
            break;
        }
        let len = usize::from(u16::from_be_bytes([jpeg[pos + 2], jpeg[pos + 3]]));
        pos += 2 + len;
        in_scan = marker == 0xDA;
    }
    markers
}

fn assert_clean_jpeg(jpeg: &[u8]) {
    let markers = jpeg_markers(jpeg);
    assert_eq!(markers.last(), Some(&0xD9), "missing EOI");
    // SOI, APP0 (JFIF), DQT, SOF0, DHT, SOS, EOI: nothing else.
    let allowed = [0xD8, 0xE0, 0xDB, 0xC0, 0xC4, 0xDA, 0xD9];
    for marker in &markers {
        assert!(
            allowed.contains(marker),
            "unexpected marker FF{marker:02X} in output; markers: {markers:02X?}"
        );
    }
    assert_eq!(markers.iter().filter(|&&m| m == 0xE0).count(), 1);
    assert_eq!(&jpeg[6..11], b"JFIF\0", "APP0 is not JFIF");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn decode(jpeg: &[u8]) -> RgbImage {
    image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
        .unwrap()
        .into_rgb8()
}

/// Checks the outputs against the expected upright source size.
fn assert_outputs(photo: &ProcessedPhoto, (width, height): (u32, u32)) {
    let (full, thumb) = (&photo.full, &photo.thumb);
    assert_eq!((photo.source_width, photo.source_height), (width, height));
    assert!(full.width.max(full.height) <= FULL_LONG_EDGE);
    assert!(thumb.width.max(thumb.height) <= THUMB_LONG_EDGE);
    assert!(full.width <= width && full.height <= height, "upscaled");
    let source_ratio = f64::from(width) / f64::from(height);
    for output in [full, thumb] {
        let ratio = f64::from(output.width) / f64::from(output.height);
        // One pixel of rounding on the short edge.
        let tolerance = source_ratio / f64::from(output.width.min(output.height));
        assert!(
            (ratio - source_ratio).abs() <= tolerance,
            "{}x{} does not keep {width}x{height}'s aspect ratio",
            output.width,
            output.height
        );
        assert_eq!(
            decode(&output.bytes).dimensions(),
            (output.width, output.height)
        );
        assert_clean_jpeg(&output.bytes);
    }
}

fn error_code(bytes: &[u8]) -> &'static str {
    match photo::process(bytes) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.code(),
    }
}

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-6, "{actual} != {expected}");
}

// -------------------------------------------------------------------- tests

#[test]
fn jpeg_input_becomes_full_copy_and_thumbnail() {
    let input = jpeg_bytes(&photo_like(2400, 1600, 1), 90);
    let photo = photo::process(&input).unwrap();
    assert_eq!(photo.source_format, SourceFormat::Jpeg);
    assert_eq!((photo.full.width, photo.full.height), (1600, 1067));
    assert_eq!((photo.thumb.width, photo.thumb.height), (320, 213));
    assert_outputs(&photo, (2400, 1600));
}

#[test]
fn png_input_becomes_full_copy_and_thumbnail() {
    let image = DynamicImage::ImageRgb8(photo_like(2000, 1500, 2));
    let photo = photo::process(&png_bytes(&image, None)).unwrap();
    assert_eq!(photo.source_format, SourceFormat::Png);
    assert_eq!((photo.full.width, photo.full.height), (1600, 1200));
    assert_eq!((photo.thumb.width, photo.thumb.height), (320, 240));
    assert_outputs(&photo, (2000, 1500));
}

#[test]
fn webp_input_becomes_full_copy_and_thumbnail() {
    let image = DynamicImage::ImageRgb8(photo_like(1500, 2000, 3));
    let photo = photo::process(&webp_bytes(&image, None)).unwrap();
    assert_eq!(photo.source_format, SourceFormat::WebP);
    assert_eq!((photo.full.width, photo.full.height), (1200, 1600));
    assert_eq!((photo.thumb.width, photo.thumb.height), (240, 320));
    assert_outputs(&photo, (1500, 2000));
}

#[test]
fn small_images_are_not_upscaled() {
    let photo = photo::process(&jpeg_bytes(&photo_like(800, 600, 4), 90)).unwrap();
    assert_eq!((photo.full.width, photo.full.height), (800, 600));
    assert_eq!((photo.thumb.width, photo.thumb.height), (320, 240));
    assert_outputs(&photo, (800, 600));

    let photo = photo::process(&jpeg_bytes(&photo_like(300, 200, 5), 90)).unwrap();
    assert_eq!((photo.full.width, photo.full.height), (300, 200));
    assert_eq!((photo.thumb.width, photo.thumb.height), (300, 200));
    assert_outputs(&photo, (300, 200));
}

#[test]
fn extreme_aspect_ratio_keeps_at_least_one_pixel() {
    let photo = photo::process(&jpeg_bytes(&photo_like(4000, 2, 6), 90)).unwrap();
    assert_eq!((photo.full.width, photo.full.height), (1600, 1));
    assert_eq!((photo.thumb.width, photo.thumb.height), (320, 1));
}

#[test]
fn outputs_carry_no_metadata_segments() {
    let xmp = [
        b"http://ns.adobe.com/xap/1.0/\0".as_slice(),
        format!("<x:xmpmeta>{SECRET}</x:xmpmeta>").as_bytes(),
    ]
    .concat();
    let icc = [b"ICC_PROFILE\0\x01\x01".as_slice(), SECRET.as_bytes()].concat();
    let iptc = [b"Photoshop 3.0\0".as_slice(), SECRET.as_bytes()].concat();
    let input = with_segments(
        &jpeg_bytes(&photo_like(1200, 900, 7), 90),
        &[
            app1_exif(&ExifSpec::default().tiff()),
            segment(0xE1, &xmp),
            segment(0xE2, &icc),
            segment(0xED, &iptc),
            segment(0xFE, SECRET.as_bytes()),
        ],
    );
    assert!(jpeg_markers(&input).contains(&0xE2), "fixture lacks APP2");

    let photo = photo::process(&input).unwrap();
    for output in [&photo.full.bytes, &photo.thumb.bytes] {
        assert_clean_jpeg(output);
        let markers = jpeg_markers(output);
        for forbidden in [0xE1, 0xE2, 0xED, 0xFE] {
            assert!(!markers.contains(&forbidden), "FF{forbidden:02X} in output");
        }
    }
}

#[test]
fn input_metadata_never_reaches_the_output() {
    let exif = ExifSpec::default().tiff();
    let image = photo_like(900, 600, 8);
    let jpeg = with_segments(
        &jpeg_bytes(&image, 90),
        &[app1_exif(&exif), segment(0xFE, SECRET.as_bytes())],
    );
    let dynamic = DynamicImage::ImageRgb8(image);
    let inputs = [
        jpeg,
        png_bytes(&dynamic, Some(exif.clone())),
        webp_bytes(&dynamic, Some(exif)),
    ];
    for input in inputs {
        assert!(
            contains(&input, SECRET.as_bytes()),
            "fixture lacks the marker"
        );
        let photo = photo::process(&input).unwrap();
        assert!(
            photo.exif.gps.is_some(),
            "{:?}: EXIF not read",
            photo.source_format
        );
        for output in [&photo.full.bytes, &photo.thumb.bytes] {
            assert!(!contains(output, SECRET.as_bytes()), "marker leaked");
            assert!(!contains(output, b"Exif\0\0"), "EXIF header leaked");
            assert!(!contains(output, b"RondaCam"), "camera make leaked");
        }
    }
}

#[test]
fn full_copy_starts_at_quality_82() {
    // At exactly 1600 px nothing is resized, so the pipeline encodes these very pixels.
    let image = calm_photo(1600, 1200, 18);
    let photo = photo::process(&png_bytes(&DynamicImage::ImageRgb8(image.clone()), None)).unwrap();
    let at_82 = jpeg_bytes(&image, 82);
    assert!(at_82.len() <= FULL_TARGET_MAX_BYTES);
    assert!(
        photo.full.bytes == at_82,
        "expected the quality 82 encoding"
    );
}

#[test]
fn busy_photos_are_stepped_down_to_the_byte_target() {
    let image = busy_photo(1600, 1200, 19);
    let at_82 = jpeg_bytes(&image, 82).len();
    assert!(
        at_82 > FULL_TARGET_MAX_BYTES,
        "fixture not busy enough: {at_82} bytes"
    );
    let photo = photo::process(&png_bytes(&DynamicImage::ImageRgb8(image), None)).unwrap();
    println!(
        "busy 1600x1200: {} KB at q82 -> {} KB",
        at_82 / 1024,
        photo.full.bytes.len() / 1024
    );
    assert!(photo.full.bytes.len() <= FULL_TARGET_MAX_BYTES);
    assert_outputs(&photo, (1600, 1200));
}

#[test]
fn outputs_are_named_by_their_sha256() {
    let photo = photo::process(&jpeg_bytes(&photo_like(800, 560, 9), 90)).unwrap();
    for output in [&photo.full, &photo.thumb] {
        let expected: String = Sha256::digest(&output.bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(output.sha256, expected);
        assert_eq!(output.sha256.len(), 64);
        assert!(
            output
                .sha256
                .bytes()
                .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
        );
    }
    assert_ne!(photo.full.sha256, photo.thumb.sha256);
}

#[test]
fn processing_is_deterministic() {
    let input = jpeg_bytes(&photo_like(900, 600, 10), 90);
    let first = photo::process(&input).unwrap();
    let second = photo::process(&input).unwrap();
    assert_eq!(first, second);
}

#[test]
fn exif_orientation_6_turns_landscape_storage_upright() {
    let spec = ExifSpec {
        orientation: Some(6),
        ..ExifSpec::default()
    };
    let input = spec.jpeg(&two_tone(400, 200));

    let exif = photo::read_exif(&input);
    let gps = exif.gps.expect("GPS");
    assert_close(gps.lat, -(6.0 + 10.0 / 60.0 + 30.5 / 3600.0));
    assert_close(gps.lon, 106.0 + 49.0 / 60.0 + 40.2 / 3600.0);
    assert!((gps.lat - -6.175139).abs() < 1e-6 && (gps.lon - 106.827833).abs() < 1e-6);
    // 14:30 in Jakarta (no OffsetTimeOriginal) is 07:30 UTC.
    let expected = Utc.with_ymd_and_hms(2024, 3, 15, 7, 30, 0).unwrap();
    assert_eq!(exif.taken_at, Some(expected));

    let photo = photo::process(&input).unwrap();
    assert_eq!(photo.exif, exif);
    assert_eq!((photo.source_width, photo.source_height), (200, 400));
    assert_eq!((photo.full.width, photo.full.height), (200, 400));
    assert_eq!((photo.thumb.width, photo.thumb.height), (160, 320));
    // Rotating 90° clockwise brings the stored left (red) half to the top.
    let full = decode(&photo.full.bytes);
    assert_eq!(full.dimensions(), (200, 400));
    let top = full.get_pixel(100, 50);
    let bottom = full.get_pixel(100, 350);
    assert!(top[0] > 150 && top[2] < 100, "top should be red: {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "bottom should be blue: {bottom:?}"
    );
}

#[test]
fn png_and_webp_exif_orientation_is_applied() {
    let spec = ExifSpec {
        orientation: Some(6),
        ..ExifSpec::default()
    };
    let image = DynamicImage::ImageRgb8(two_tone(400, 200));
    for input in [
        png_bytes(&image, Some(spec.tiff())),
        webp_bytes(&image, Some(spec.tiff())),
    ] {
        let photo = photo::process(&input).unwrap();
        assert_eq!((photo.full.width, photo.full.height), (200, 400));
        let gps = photo.exif.gps.expect("GPS");
        assert_close(gps.lat, -6.175138889);
        let top = decode(&photo.full.bytes).get_pixel(100, 50).0;
        assert!(top[0] > 150 && top[2] < 100, "top should be red: {top:?}");
    }
}

#[test]
fn offset_time_original_overrides_jakarta_time() {
    let cases = [
        (
            "+08:00",
            Utc.with_ymd_and_hms(2024, 3, 15, 6, 30, 0).unwrap(),
        ),
        (
            "-03:00",
            Utc.with_ymd_and_hms(2024, 3, 15, 17, 30, 0).unwrap(),
        ),
        (
            "+00:00",
            Utc.with_ymd_and_hms(2024, 3, 15, 14, 30, 0).unwrap(),
        ),
        // Unparsable offset: fall back to Jakarta.
        (
            "garbage",
            Utc.with_ymd_and_hms(2024, 3, 15, 7, 30, 0).unwrap(),
        ),
    ];
    for (offset, expected) in cases {
        let spec = ExifSpec {
            offset: Some(offset),
            ..ExifSpec::default()
        };
        let exif = photo::read_exif(&spec.jpeg(&two_tone(16, 16)));
        assert_eq!(exif.taken_at, Some(expected), "offset {offset}");
    }
}

#[test]
fn hemisphere_references_set_the_sign() {
    let spec = ExifSpec {
        lat: Some(("N", MONAS_LAT.1)),
        lon: Some(("W", MONAS_LON.1)),
        ..ExifSpec::default()
    };
    let gps = photo::read_exif(&spec.jpeg(&two_tone(16, 16))).gps.unwrap();
    assert!(gps.lat > 6.17 && gps.lon < -106.8, "{gps:?}");
}

#[test]
fn untrustworthy_exif_values_are_none() {
    let zero = [(0, 1), (0, 1), (0, 1)];
    let cases = [
        ("null island", Some(("S", zero)), Some(("E", zero))),
        (
            "latitude out of range",
            Some(("N", [(95, 1), (0, 1), (0, 1)])),
            Some(MONAS_LON),
        ),
        (
            "zero denominator",
            Some(("S", [(6, 0), (10, 1), (0, 1)])),
            Some(MONAS_LON),
        ),
        ("bad reference", Some(("X", MONAS_LAT.1)), Some(MONAS_LON)),
        ("no longitude", Some(MONAS_LAT), None),
    ];
    for (name, lat, lon) in cases {
        let spec = ExifSpec {
            lat,
            lon,
            ..ExifSpec::default()
        };
        let input = spec.jpeg(&two_tone(64, 48));
        assert_eq!(photo::read_exif(&input).gps, None, "{name}");
        let photo = photo::process(&input).expect("bad EXIF must not fail the photo");
        assert_eq!(photo.exif.gps, None, "{name}");
    }

    for taken in ["0000:00:00 00:00:00", "2024:13:40 25:61:00", "yesterday"] {
        let spec = ExifSpec {
            taken: Some(taken),
            ..ExifSpec::default()
        };
        let exif = photo::read_exif(&spec.jpeg(&two_tone(16, 16)));
        assert_eq!(exif.taken_at, None, "{taken}");
        assert!(exif.gps.is_some(), "a bad date must not hide the GPS");
    }
}

#[test]
fn missing_or_garbage_exif_gives_empty_metadata() {
    let plain = jpeg_bytes(&two_tone(64, 48), 90);
    assert_eq!(photo::read_exif(&plain), PhotoExif::default());
    assert_eq!(photo::read_exif(&[]), PhotoExif::default());
    assert_eq!(photo::read_exif(b"hello"), PhotoExif::default());

    let mut rng = StdRng::seed_from_u64(11);
    let mut junk = vec![0u8; 300];
    rng.fill_bytes(&mut junk);
    for payload in [
        [b"Exif\0\0".as_slice(), &junk].concat(),
        [b"Exif\0\0II*\0\xff\xff\xff\x7f".as_slice(), &junk].concat(),
        b"Exif\0\0".to_vec(),
    ] {
        let input = with_segments(&plain, &[segment(0xE1, &payload)]);
        assert_eq!(photo::read_exif(&input), PhotoExif::default());
        let photo = photo::process(&input).expect("garbage EXIF must not fail the photo");
        assert_eq!(photo.exif, PhotoExif::default());
    }
}

#[test]
fn transparency_is_flattened_onto_white() {
    let image = RgbaImage::from_fn(400, 300, |x, _| {
        if x < 200 {
            Rgba([0, 0, 0, 0]) // fully transparent
        } else {
            Rgba([0, 0, 0, 128]) // half-transparent black
        }
    });
    let image = DynamicImage::ImageRgba8(image);
    for input in [png_bytes(&image, None), webp_bytes(&image, None)] {
        let photo = photo::process(&input).unwrap();
        let full = decode(&photo.full.bytes);
        let clear = full.get_pixel(50, 150).0;
        let half = full.get_pixel(350, 150).0;
        assert!(
            clear.iter().all(|&c| c >= 250),
            "transparent should be white: {clear:?}"
        );
        assert!(
            half.iter().all(|&c| (120..=135).contains(&c)),
            "half should be grey: {half:?}"
        );
    }
}

#[test]
fn grayscale_input_is_accepted() {
    let gray = DynamicImage::ImageRgb8(photo_like(640, 480, 12)).into_luma8();
    let input = png_bytes(&DynamicImage::ImageLuma8(gray), None);
    let photo = photo::process(&input).unwrap();
    assert_outputs(&photo, (640, 480));
}

#[test]
fn non_images_are_rejected() {
    let mut random = vec![0u8; 4096];
    StdRng::seed_from_u64(13).fill_bytes(&mut random);
    random[0] = 0x42; // keep clear of any magic number
    let text = b"Laporan warga: jalan berlubang di Jl. Kebon Sirih, tolong diperbaiki.\n";
    assert_eq!(error_code(&[]), "PHOTO_NOT_AN_IMAGE");
    assert_eq!(error_code(&random), "PHOTO_NOT_AN_IMAGE");
    assert_eq!(error_code(text), "PHOTO_NOT_AN_IMAGE");
}

#[test]
fn unsupported_formats_are_named() {
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
    let bmp = b"BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00";
    let heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic";
    for (input, name) in [(&gif[..], "GIF"), (&bmp[..], "BMP"), (&heic[..], "HEIF")] {
        let error = photo::process(input).unwrap_err();
        assert_eq!(error.code(), "PHOTO_UNSUPPORTED_FORMAT");
        assert!(error.to_string().starts_with(name), "{error}");
    }
}

#[test]
fn truncated_files_are_rejected() {
    let jpeg = jpeg_bytes(&photo_like(800, 600, 14), 90);
    assert_eq!(error_code(&jpeg[..jpeg.len() / 2]), "PHOTO_TRUNCATED");
    assert_eq!(error_code(&jpeg[..jpeg.len() - 2]), "PHOTO_TRUNCATED");
    assert_eq!(error_code(&jpeg[..3]), "PHOTO_TRUNCATED");

    let image = DynamicImage::ImageRgb8(photo_like(800, 600, 15));
    let png = png_bytes(&image, None);
    assert_eq!(error_code(&png[..png.len() / 2]), "PHOTO_TRUNCATED");
    assert_eq!(error_code(&png[..8]), "PHOTO_TRUNCATED");
    let webp = webp_bytes(&image, None);
    assert_eq!(error_code(&webp[..webp.len() / 2]), "PHOTO_TRUNCATED");
}

#[test]
fn truncation_is_found_past_an_embedded_thumbnail() {
    // Phones embed a small JPEG (with its own EOI) in the EXIF segment.
    let thumbnail = jpeg_bytes(&two_tone(32, 24), 80);
    let app1 = segment(0xE1, &[b"Exif\0\0".as_slice(), &thumbnail].concat());
    let jpeg = with_segments(&jpeg_bytes(&photo_like(800, 600, 16), 90), &[app1]);
    photo::process(&jpeg).expect("the complete file is fine");
    let cut = jpeg.len() - (jpeg.len() - thumbnail.len()) / 2;
    assert_eq!(error_code(&jpeg[..cut]), "PHOTO_TRUNCATED");
}

/// CRC-32 (ISO-HDLC) for hand-made PNG chunks.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let body = [kind.as_slice(), data].concat();
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

#[test]
fn decompression_bomb_png_fails_fast() {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    // A tiny zlib stream (one empty stored block): a real bomb would inflate for ever.
    let idat = [
        0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01,
    ];
    let bomb = [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        png_chunk(b"IHDR", &ihdr),
        png_chunk(b"IDAT", &idat),
        png_chunk(b"IEND", &[]),
    ]
    .concat();

    let started = Instant::now();
    let error = photo::process(&bomb).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.code(), "PHOTO_TOO_MANY_PIXELS");
    assert_eq!(
        error,
        PhotoError::TooManyPixels {
            width: 100_000,
            height: 100_000,
            max: photo::MAX_PIXELS
        }
    );
}

#[test]
fn jpeg_header_claiming_huge_dimensions_fails_fast() {
    let mut jpeg = jpeg_bytes(&two_tone(64, 48), 90);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0xFF, 0x00, 0xFF, 0x00]); // 65280x65280
    let started = Instant::now();
    assert_eq!(error_code(&jpeg), "PHOTO_TOO_MANY_PIXELS");
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[test]
fn oversized_input_is_rejected_before_parsing() {
    let mut big = jpeg_bytes(&two_tone(64, 48), 90);
    big.resize(MAX_INPUT_BYTES + 1, 0);
    let error = photo::process(&big).unwrap_err();
    assert_eq!(error.code(), "PHOTO_TOO_LARGE");
    assert_eq!(
        error,
        PhotoError::TooLarge {
            size: MAX_INPUT_BYTES + 1,
            max: 30 * 1024 * 1024
        }
    );
}

#[test]
fn error_codes_and_messages_are_stable() {
    let cases = [
        (PhotoError::TooLarge { size: 1, max: 0 }, "PHOTO_TOO_LARGE"),
        (PhotoError::NotAnImage, "PHOTO_NOT_AN_IMAGE"),
        (
            PhotoError::UnsupportedFormat {
                format: "GIF".into(),
            },
            "PHOTO_UNSUPPORTED_FORMAT",
        ),
        (PhotoError::Truncated, "PHOTO_TRUNCATED"),
        (
            PhotoError::TooManyPixels {
                width: 1,
                height: 1,
                max: 0,
            },
            "PHOTO_TOO_MANY_PIXELS",
        ),
        (
            PhotoError::TooMuchMemory {
                width: 1,
                height: 1,
            },
            "PHOTO_TOO_MANY_PIXELS",
        ),
        (PhotoError::DecodeFailed("x".into()), "PHOTO_DECODE_FAILED"),
        (PhotoError::EncodeFailed("x".into()), "PHOTO_ENCODE_FAILED"),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code);
        let message = error.to_string();
        assert!(message.is_ascii() && message.len() > 10, "{message}");
    }
}

#[test]
fn photo_like_12_megapixel_jpeg_gives_a_plausible_size() {
    let input = jpeg_bytes(&photo_like(4000, 3000, 17), 92);
    let photo = photo::process(&input).unwrap();
    println!(
        "12 MP input {} KB -> full {}x{} {} KB, thumb {}x{} {} KB",
        input.len() / 1024,
        photo.full.width,
        photo.full.height,
        photo.full.bytes.len() / 1024,
        photo.thumb.width,
        photo.thumb.height,
        photo.thumb.bytes.len() / 1024,
    );
    assert_eq!((photo.full.width, photo.full.height), (1600, 1200));
    assert!(photo.full.bytes.len() <= 600 * 1024);
    assert!(photo.full.bytes.len() >= 50 * 1024, "suspiciously small");
    assert!(photo.thumb.bytes.len() <= 60 * 1024);
    assert_outputs(&photo, (4000, 3000));
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    fn small_inputs() -> Vec<Vec<u8>> {
        let spec = ExifSpec {
            orientation: Some(6),
            ..ExifSpec::default()
        };
        let image = photo_like(64, 48, 20);
        let dynamic = DynamicImage::ImageRgb8(image.clone());
        vec![
            spec.jpeg(&image),
            png_bytes(&dynamic, Some(spec.tiff())),
            webp_bytes(&dynamic, Some(spec.tiff())),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Corrupted or cut uploads give an error code, never a panic.
        #[test]
        fn damaged_inputs_never_panic(
            which in 0usize..3,
            cut in 0.0f64..=1.0,
            flips in prop::collection::vec((0.0f64..1.0, any::<u8>()), 0..8),
        ) {
            let mut input = small_inputs().swap_remove(which);
            for (at, value) in flips {
                let index = ((input.len() - 1) as f64 * at) as usize;
                input[index] = value;
            }
            input.truncate((input.len() as f64 * cut) as usize);
            let _ = photo::read_exif(&input);
            if let Err(error) = photo::process(&input) {
                prop_assert!(error.code().starts_with("PHOTO_"));
            }
        }
    }
}
