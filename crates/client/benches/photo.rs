//! Photo pipeline benchmark: a 12 MP phone-like JPEG to the 1600 px copy and
//! the thumbnail. Run with `cargo bench -p ronda-client --bench photo`.
//!
//! Peak memory is VmHWM from /proc/self/status, measured in a child process
//! (this binary re-executed with `RONDA_PHOTO_BENCH_CHILD`) so that the
//! parent's own allocations do not hide the pipeline's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use std::{env, fs, hint};

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::{ExtendedColorType, ImageFormat, RgbImage};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use ronda_client::photo::{self, FULL_TARGET_MAX_BYTES};

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;
const INPUT_QUALITY: u8 = 92;
const WARMUPS: usize = 2;
const RUNS: usize = 15;
const TARGET: Duration = Duration::from_millis(400);
const CHILD_ENV: &str = "RONDA_PHOTO_BENCH_CHILD";
const INPUT_ENV: &str = "RONDA_PHOTO_BENCH_INPUT";
/// The pipeline's quality steps, to show the size each would give.
const FULL_QUALITIES: [u8; 4] = [82, 76, 70, 62];

/// How busy the synthetic photo is; the detailed one needs a second encode.
#[derive(Debug, Clone, Copy)]
struct Scene {
    name: &'static str,
    noise: f32,
    texture: f32,
}

const SCENES: [Scene; 2] = [
    Scene {
        name: "typical",
        noise: 10.0,
        texture: 18.0,
    },
    Scene {
        name: "detailed",
        noise: 25.0,
        texture: 40.0,
    },
];

fn main() {
    if let Ok(mode) = env::var(CHILD_ENV) {
        let input = fs::read(env::var(INPUT_ENV).expect("input path")).expect("read input");
        measure_peak_memory(&mode, &input);
        return;
    }
    println!(
        "{} cores, load average {}; {WARMUPS} warm-ups + {RUNS} runs per measurement",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_average(),
    );
    for scene in SCENES {
        bench_scene(scene);
    }
    println!("\nload average at the end: {}", load_average());
}

fn bench_scene(scene: Scene) {
    let input = synthesize_photo(scene);
    let file_name = format!(
        "ronda-photo-bench-{}-{}.jpg",
        std::process::id(),
        scene.name
    );
    let input_path = env::temp_dir().join(file_name);
    fs::write(&input_path, &input).expect("write input");
    println!(
        "\n== {} photo: {WIDTH}x{HEIGHT} JPEG q{INPUT_QUALITY}, {} KB",
        scene.name,
        input.len() / 1024,
    );

    let decode = timings(|| decode_only(&input));
    let process = timings(|| photo::process(&input).expect("process"));
    report("decode only (floor)", &decode);
    report("process", &process);
    let verdict = if median(&process.wall) <= TARGET {
        "met"
    } else {
        "MISSED"
    };
    println!(
        "process / decode-only: {:.2}x; target median <= {} ms: {verdict}",
        median(&process.wall).as_secs_f64() / median(&decode.wall).as_secs_f64(),
        TARGET.as_millis(),
    );
    let result = photo::process(&input).expect("process");
    println!(
        "outputs: full {}x{} {} KB, thumb {}x{} {} KB",
        result.full.width,
        result.full.height,
        result.full.bytes.len() / 1024,
        result.thumb.width,
        result.thumb.height,
        result.thumb.bytes.len() / 1024,
    );

    stage_breakdown(&input);

    for mode in ["decode", "process"] {
        let (baseline, peak) = child_peak_memory(mode, &input_path);
        println!(
            "peak memory ({mode}): VmHWM {:.1} MB with the input loaded, {:.1} MB after; growth {:.1} MB",
            baseline as f64 / 1024.0,
            peak as f64 / 1024.0,
            peak.saturating_sub(baseline) as f64 / 1024.0,
        );
    }
    let _ = fs::remove_file(&input_path);
}

/// Smooth gradients, separable texture and per-pixel noise, so that it
/// compresses about like a phone photo (4-6 MB at q92).
fn synthesize_photo(scene: Scene) -> Vec<u8> {
    let mut rng = StdRng::seed_from_u64(0x0052_4f4e_4441);
    let wave = |n: u32, period: f32, phase: f32, amplitude: f32| -> Vec<f32> {
        (0..n)
            .map(|i| amplitude * (i as f32 / period + phase).sin())
            .collect()
    };
    let columns = [
        wave(WIDTH, 410.0, 0.0, 55.0),
        wave(WIDTH, 330.0, 1.0, 45.0),
        wave(WIDTH, 570.0, 2.0, 40.0),
    ];
    let rows = [
        wave(HEIGHT, 290.0, 0.5, 45.0),
        wave(HEIGHT, 380.0, 1.5, 40.0),
        wave(HEIGHT, 450.0, 2.5, 50.0),
    ];
    let texture_x = wave(WIDTH, 3.1, 0.0, 1.0);
    let texture_y = wave(HEIGHT, 4.3, 0.0, scene.texture);
    let (width, height) = (WIDTH as usize, HEIGHT as usize);
    let mut noise_bytes = vec![0u8; width * height];
    rng.fill_bytes(&mut noise_bytes);
    let mut pixels = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            let jitter = (f32::from(noise_bytes[y * width + x]) / 127.5 - 1.0) * scene.noise;
            let shared = 128.0 + texture_x[x] * texture_y[y] + jitter;
            for c in 0..3 {
                pixels.push((shared + columns[c][x] + rows[c][y]).clamp(0.0, 255.0) as u8);
            }
        }
    }
    let image = RgbImage::from_raw(WIDTH, HEIGHT, pixels).expect("buffer size");
    encode_jpeg(&image, INPUT_QUALITY)
}

fn decode_only(input: &[u8]) -> image::DynamicImage {
    image::load_from_memory_with_format(input, ImageFormat::Jpeg).expect("decode")
}

fn encode_jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode(
            image.as_raw(),
            image.width(),
            image.height(),
            ExtendedColorType::Rgb8,
        )
        .expect("encode");
    out
}

fn resize(resizer: &mut Resizer, image: &RgbImage, width: u32, height: u32) -> RgbImage {
    let src = ImageRef::new(
        image.width(),
        image.height(),
        image.as_raw(),
        PixelType::U8x3,
    )
    .expect("source view");
    let mut dst = Image::new(width, height, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    resizer.resize(&src, &mut dst, &options).expect("resize");
    RgbImage::from_raw(width, height, dst.into_vec()).expect("buffer size")
}

/// Times each stage the way the pipeline runs it, to show where time goes.
fn stage_breakdown(input: &[u8]) {
    let decoded = decode_only(input).into_rgb8();
    let mut resizer = Resizer::new();
    let resize_full = timings(|| resize(&mut resizer, &decoded, 1600, 1200));
    let full = resize(&mut resizer, &decoded, 1600, 1200);
    let resize_thumb = timings(|| resize(&mut resizer, &full, 320, 240));
    let thumb = resize(&mut resizer, &full, 320, 240);

    let sizes: Vec<String> = FULL_QUALITIES
        .iter()
        .map(|&q| format!("q{q} {} KB", encode_jpeg(&full, q).len() / 1024))
        .collect();
    let encode_full = timings(|| encode_jpeg(&full, FULL_QUALITIES[0]));
    let encode_thumb = timings(|| encode_jpeg(&thumb, 80));
    println!("stages (median):");
    println!("  resize 4000x3000 -> 1600x1200: {}", brief(&resize_full));
    println!("  resize 1600x1200 -> 320x240:   {}", brief(&resize_thumb));
    println!(
        "  encode 1600x1200, per attempt: {} (target {} KB; {})",
        brief(&encode_full),
        FULL_TARGET_MAX_BYTES / 1024,
        sizes.join(", "),
    );
    println!("  encode 320x240:                {}", brief(&encode_thumb));
}

/// Sorted wall-clock and on-CPU times of the measured runs.
///
/// On-CPU time (this thread's, from /proc/thread-self/schedstat) shows the
/// pipeline's own cost when other processes compete for the cores.
struct Timings {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

fn timings<T>(mut run: impl FnMut() -> T) -> Timings {
    for _ in 0..WARMUPS {
        hint::black_box(run());
    }
    let (mut wall, mut cpu): (Vec<_>, Vec<_>) = (0..RUNS)
        .map(|_| {
            let (started, cpu_started) = (Instant::now(), thread_cpu_time());
            hint::black_box(run());
            (started.elapsed(), thread_cpu_time() - cpu_started)
        })
        .unzip();
    wall.sort();
    cpu.sort();
    Timings { wall, cpu }
}

fn thread_cpu_time() -> Duration {
    let schedstat = fs::read_to_string("/proc/thread-self/schedstat").expect("schedstat");
    let nanos = schedstat
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok());
    Duration::from_nanos(nanos.expect("on-CPU nanoseconds"))
}

fn load_average() -> String {
    let loadavg = fs::read_to_string("/proc/loadavg").unwrap_or_default();
    loadavg
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn median(sorted: &[Duration]) -> Duration {
    sorted[sorted.len() / 2]
}

fn p90(sorted: &[Duration]) -> Duration {
    sorted[(sorted.len() * 9).div_ceil(10) - 1]
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// Median wall time, with the on-CPU median alongside.
fn brief(timings: &Timings) -> String {
    format!(
        "{} (on-CPU {})",
        ms(median(&timings.wall)),
        ms(median(&timings.cpu))
    )
}

fn report(name: &str, timings: &Timings) {
    let wall = &timings.wall;
    println!(
        "{name}: median {}, p90 {}, min {}, max {}; on-CPU median {}, p90 {}",
        ms(median(wall)),
        ms(p90(wall)),
        ms(wall[0]),
        ms(wall[wall.len() - 1]),
        ms(median(&timings.cpu)),
        ms(p90(&timings.cpu)),
    );
}

/// Runs one `mode` in a fresh child and returns its VmHWM (kB) before and after.
fn child_peak_memory(mode: &str, input_path: &Path) -> (u64, u64) {
    let exe: PathBuf = env::current_exe().expect("current exe");
    let output = Command::new(exe)
        .env(CHILD_ENV, mode)
        .env(INPUT_ENV, input_path)
        .output()
        .expect("run child");
    assert!(output.status.success(), "child failed: {output:?}");
    let stdout = String::from_utf8(output.stdout).expect("utf-8");
    let mut numbers = stdout.split_whitespace().map(|n| n.parse().expect("kB"));
    (
        numbers.next().expect("baseline"),
        numbers.next().expect("peak"),
    )
}

fn measure_peak_memory(mode: &str, input: &[u8]) {
    let baseline = vm_hwm_kb();
    match mode {
        "decode" => drop(hint::black_box(decode_only(input))),
        "process" => drop(hint::black_box(photo::process(input).expect("process"))),
        other => panic!("unknown mode {other}"),
    }
    println!("{baseline} {}", vm_hwm_kb());
}

fn vm_hwm_kb() -> u64 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}
