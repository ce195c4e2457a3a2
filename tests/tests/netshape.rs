//! The network shaping proxy against real TCP servers on loopback. Timing checks bound from
//! below tightly (the proxy must never be faster than its link) and from above loosely (test
//! machines are shared and noisy).

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use ronda_tests::netshape::{Direction, Profile, Proxy, Reset, Stall, Stats};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::{sleep, timeout};

/// A quick link for tests that only care about correctness, shaped so every code path runs.
fn quick() -> Profile {
    Profile {
        name: "quick",
        up_bps: 50_000_000,
        down_bps: 50_000_000,
        rtt: Duration::from_millis(20),
        jitter: Duration::from_millis(10),
        ..Profile::unlimited()
    }
    .with_seed(1)
}

/// Starts a server on 127.0.0.1:0 that runs `handle` on each connection.
async fn server<F, Fut>(handle: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(handle(stream));
        }
    });
    addr
}

/// Sends back whatever it receives, and closes when the client does.
async fn echo() -> SocketAddr {
    server(|mut stream| async move {
        let (mut from, mut to) = stream.split();
        if tokio::io::copy(&mut from, &mut to).await.is_ok() {
            let _ = to.shutdown().await;
        }
    })
    .await
}

/// Sends `len` bytes, then closes.
async fn source(len: usize) -> SocketAddr {
    server(move |mut stream| async move {
        let _ = stream.write_all(&vec![7; len]).await;
        let _ = stream.shutdown().await;
    })
    .await
}

/// Reads each connection to its end and reports what came.
async fn sink() -> (SocketAddr, mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let addr = server(move |mut stream| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(read_all(&mut stream).await);
        }
    })
    .await;
    (addr, rx)
}

#[derive(Debug, Default)]
struct Received {
    bytes: usize,
    first: Option<Instant>,
    last: Option<Instant>,
    error: Option<io::ErrorKind>,
}

impl Received {
    fn span(&self) -> Duration {
        self.last.unwrap() - self.first.unwrap()
    }
}

async fn read_all(stream: &mut TcpStream) -> Received {
    let mut received = Received::default();
    let mut buf = vec![0; 64 * 1024];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) => return received,
            Ok(n) => {
                let now = Instant::now();
                received.first.get_or_insert(now);
                received.last = Some(now);
                received.bytes += n;
            }
            Err(error) => {
                received.error = Some(error.kind());
                return received;
            }
        }
    }
}

/// Sends `data` and reads until the end, at the same time; returns what came back.
async fn exchange(addr: SocketAddr, data: Vec<u8>) -> io::Result<Vec<u8>> {
    let (mut from, mut to) = TcpStream::connect(addr).await?.into_split();
    let writer = tokio::spawn(async move {
        let _ = to.write_all(&data).await;
        let _ = to.shutdown().await;
    });
    let mut back = Vec::new();
    let read = from.read_to_end(&mut back).await;
    writer.await.unwrap();
    read.map(|_| back)
}

/// Writes `message` and waits for as many bytes back.
async fn round_trip(stream: &mut TcpStream, message: &[u8]) -> io::Result<Duration> {
    let start = Instant::now();
    stream.write_all(message).await?;
    let mut back = vec![0; message.len()];
    stream.read_exact(&mut back).await?;
    assert_eq!(back, message);
    Ok(start.elapsed())
}

/// The stats once every connection through `proxy` has ended.
async fn settled(proxy: &Proxy) -> Stats {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let stats = proxy.stats();
        if stats.active == 0 {
            return stats;
        }
        assert!(
            Instant::now() < deadline,
            "connections still open: {stats:?}"
        );
        sleep(Duration::from_millis(5)).await;
    }
}

fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut data = vec![0; len];
    StdRng::seed_from_u64(seed).fill_bytes(&mut data);
    data
}

fn assert_between(what: &str, took: Duration, min_ms: u64, max_ms: u64) {
    let (min, max) = (Duration::from_millis(min_ms), Duration::from_millis(max_ms));
    assert!(took >= min, "{what} took {took:?}, less than {min:?}");
    assert!(took <= max, "{what} took {took:?}, more than {max:?}");
}

#[tokio::test]
async fn counts_bytes_exactly_both_ways() {
    let proxy = Proxy::start(echo().await, quick()).await.unwrap();
    let sizes = [1, 1460, 10_000, 100_001];
    for (i, &size) in sizes.iter().enumerate() {
        let data = random_bytes(size, i as u64);
        assert_eq!(exchange(proxy.addr(), data.clone()).await.unwrap(), data);
    }
    let total: u64 = sizes.iter().sum::<usize>() as u64;
    let want = Stats {
        bytes_up: total,
        bytes_down: total,
        connections: 4,
        resets: 0,
        active: 0,
    };
    assert_eq!(settled(&proxy).await, want);

    proxy.reset_stats();
    assert_eq!(proxy.stats(), Stats::default());
}

#[tokio::test]
async fn unlimited_carries_5_mb_byte_exact() {
    let proxy = Proxy::start(echo().await, Profile::unlimited())
        .await
        .unwrap();
    let data = random_bytes(5 * 1024 * 1024, 5);
    let back = exchange(proxy.addr(), data.clone()).await.unwrap();
    assert!(back == data, "5 MB came back different");
    let stats = settled(&proxy).await;
    assert_eq!(
        (stats.bytes_up, stats.bytes_down),
        (data.len() as u64, data.len() as u64)
    );
}

#[tokio::test]
async fn download_is_paced_to_bandwidth_and_latency_is_pipelined() {
    // 500 kB at 4 Mbit/s is 1 s on the link. A delay slept per 1460-byte piece rather than
    // pipelined would add 150 ms to each of 343 pieces.
    let profile = Profile {
        down_bps: 4_000_000,
        rtt: Duration::from_millis(300),
        ..Profile::unlimited()
    };
    let proxy = Proxy::start(source(500_000).await, profile).await.unwrap();
    let start = Instant::now();
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let received = read_all(&mut stream).await;
    assert_eq!((received.bytes, received.error), (500_000, None));
    assert_between("first to last byte", received.span(), 950, 1_800);
    // Handshake (an RTT), 1 s of transfer less a 20 ms burst, half an RTT for the last byte.
    assert_between("the whole download", start.elapsed(), 1_420, 2_500);
    drop(stream);
    assert_eq!(settled(&proxy).await.bytes_down, 500_000);
}

#[tokio::test]
async fn upload_is_paced_to_bandwidth() {
    let (addr, mut reports) = sink().await;
    let profile = Profile {
        up_bps: 2_000_000,
        ..Profile::unlimited()
    };
    let proxy = Proxy::start(addr, profile).await.unwrap();
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    stream.write_all(&random_bytes(250_000, 2)).await.unwrap();
    stream.shutdown().await.unwrap();
    let received = reports.recv().await.unwrap();
    assert_eq!((received.bytes, received.error), (250_000, None));
    assert_between("250 kB at 2 Mbit/s", received.span(), 950, 1_800);
}

#[tokio::test]
async fn connections_share_the_bandwidth() {
    // Two downloads of 250 kB at once over one 4 Mbit/s link: 1 s together, not 0.5 s each.
    let profile = Profile {
        down_bps: 4_000_000,
        ..Profile::unlimited()
    };
    let proxy = Proxy::start(source(250_000).await, profile).await.unwrap();
    let download = || async {
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        read_all(&mut stream).await
    };
    let start = Instant::now();
    let (a, b) = tokio::join!(download(), download());
    assert_eq!((a.bytes, b.bytes), (250_000, 250_000));
    assert_between("both downloads", start.elapsed(), 950, 1_800);
    assert_between("the first download", a.span(), 850, 1_800);
    assert_between("the second download", b.span(), 850, 1_800);
}

#[tokio::test]
async fn latency_adds_the_rtt_to_each_round_trip() {
    let profile = Profile {
        rtt: Duration::from_millis(200),
        ..Profile::unlimited()
    };
    let proxy = Proxy::start(echo().await, profile).await.unwrap();
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let first = round_trip(&mut stream, b"hello").await.unwrap();
    assert_between("the first round trip (with the handshake)", first, 399, 900);
    let second = round_trip(&mut stream, b"again").await.unwrap();
    assert_between("the second round trip", second, 199, 600);

    // A new profile applies to open connections too.
    proxy.set_profile(Profile {
        rtt: Duration::from_millis(400),
        ..Profile::unlimited()
    });
    let third = round_trip(&mut stream, b"slower").await.unwrap();
    assert_between("a round trip after set_profile", third, 399, 900);
}

#[tokio::test]
async fn reset_next_after_cuts_an_upload_at_the_exact_byte() {
    let (addr, mut reports) = sink().await;
    let proxy = Proxy::start(addr, quick()).await.unwrap();

    proxy.reset_next_after(10_000, Direction::Up);
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let wrote = stream.write_all(&random_bytes(100_000, 3)).await;
    let read = stream.read(&mut [0; 16]).await;
    assert!(
        wrote.is_err() || read.is_err(),
        "the client saw no reset: {read:?}"
    );
    let received = reports.recv().await.unwrap();
    assert_eq!(
        (received.bytes, received.error),
        (10_000, Some(io::ErrorKind::ConnectionReset))
    );

    // Only the next connection is cut.
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    stream.write_all(&random_bytes(100_000, 4)).await.unwrap();
    stream.shutdown().await.unwrap();
    let received = reports.recv().await.unwrap();
    assert_eq!((received.bytes, received.error), (100_000, None));

    let stats = settled(&proxy).await;
    assert_eq!(
        (stats.bytes_up, stats.connections, stats.resets),
        (110_000, 2, 1)
    );
}

#[tokio::test]
async fn reset_next_after_cuts_a_download_at_the_exact_byte() {
    let proxy = Proxy::start(source(100_000).await, quick()).await.unwrap();
    for cut_at in [25_000, 1, 0] {
        proxy.reset_next_after(cut_at, Direction::Down);
        let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
        let received = read_all(&mut stream).await;
        assert_eq!(received.bytes, cut_at as usize);
        assert_eq!(received.error, Some(io::ErrorKind::ConnectionReset));
    }
    let stats = settled(&proxy).await;
    assert_eq!(
        (stats.bytes_down, stats.connections, stats.resets),
        (25_001, 3, 3)
    );
}

#[tokio::test]
async fn offline_resets_new_connections_and_stalls_open_ones() {
    let proxy = Proxy::start(echo().await, Profile::unlimited())
        .await
        .unwrap();
    let mut open = TcpStream::connect(proxy.addr()).await.unwrap();
    round_trip(&mut open, b"before").await.unwrap();

    proxy.set_offline(true);
    let mut refused = TcpStream::connect(proxy.addr()).await.unwrap();
    let read = refused.read(&mut [0; 16]).await;
    assert!(
        matches!(read, Err(_) | Ok(0)),
        "an offline proxy served a connection: {read:?}"
    );

    open.write_all(b"during").await.unwrap();
    let mut back = [0; 6];
    let stalled = timeout(Duration::from_millis(300), open.read_exact(&mut back)).await;
    assert!(stalled.is_err(), "bytes went through while offline");
    proxy.set_offline(false);
    timeout(Duration::from_secs(2), open.read_exact(&mut back))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&back, b"during");

    drop(open);
    let stats = settled(&proxy).await;
    assert_eq!((stats.connections, stats.resets), (2, 1));
}

#[tokio::test]
async fn cut_all_resets_every_open_connection() {
    let proxy = Proxy::start(echo().await, quick()).await.unwrap();
    let mut a = TcpStream::connect(proxy.addr()).await.unwrap();
    let mut b = TcpStream::connect(proxy.addr()).await.unwrap();
    round_trip(&mut a, b"a").await.unwrap();
    round_trip(&mut b, b"b").await.unwrap();

    proxy.cut_all();
    for stream in [&mut a, &mut b] {
        let error = stream.read(&mut [0; 16]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionReset);
    }
    assert_eq!(settled(&proxy).await.resets, 2);

    // New connections go through.
    let mut c = TcpStream::connect(proxy.addr()).await.unwrap();
    round_trip(&mut c, b"c").await.unwrap();
}

#[tokio::test]
async fn stalls_pause_the_link_without_killing_connections() {
    // Stalls of 50 ms every 50 ms or so halve the link: 250 kB at 4 Mbit/s (0.5 s on the link)
    // take about 1 s.
    let profile = Profile {
        down_bps: 4_000_000,
        stall: Some(Stall {
            mean_interval: Duration::from_millis(50),
            duration: Duration::from_millis(50)..=Duration::from_millis(50),
        }),
        ..Profile::unlimited()
    };
    let proxy = Proxy::start(source(250_000).await, profile.with_seed(9))
        .await
        .unwrap();
    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let start = Instant::now();
    let received = read_all(&mut stream).await;
    assert_eq!((received.bytes, received.error), (250_000, None));
    assert_between(
        "250 kB at 4 Mbit/s with stalls",
        start.elapsed(),
        650,
        3_000,
    );
}

#[tokio::test]
async fn seeded_random_resets_repeat() {
    async fn run(seed: u64) -> (Vec<bool>, Stats) {
        // Jitter draws from the same seed as the resets, a different number of times each run.
        let profile = Profile {
            rtt: Duration::from_millis(4),
            jitter: Duration::from_millis(2),
            reset: Some(Reset {
                probability: 0.5,
                after_bytes: 1_000..=5_000,
            }),
            ..quick()
        };
        let proxy = Proxy::start(echo().await, profile.with_seed(seed))
            .await
            .unwrap();
        let mut cut = Vec::new();
        for i in 0..20 {
            let data = random_bytes(10_000, i);
            let back = exchange(proxy.addr(), data.clone()).await;
            cut.push(!matches!(back, Ok(back) if back == data));
        }
        (cut, settled(&proxy).await)
    }
    let (cut, stats) = run(42).await;
    let resets = cut.iter().filter(|&&c| c).count() as u64;
    assert!(
        0 < resets && resets < 20,
        "{resets} resets in 20 connections"
    );
    assert_eq!((stats.connections, stats.resets), (20, resets));

    let (cut_again, stats_again) = run(42).await;
    assert_eq!(cut_again, cut);
    // Which direction a reset connection's bytes went depends on timing; their sum does not.
    let total = |s: Stats| s.bytes_up + s.bytes_down;
    assert_eq!(total(stats_again), total(stats));
}

#[tokio::test]
async fn dropping_the_proxy_resets_its_connections() {
    let proxy = Proxy::start(echo().await, Profile::unlimited())
        .await
        .unwrap();
    let addr = proxy.addr();
    let mut stream = TcpStream::connect(addr).await.unwrap();
    round_trip(&mut stream, b"hi").await.unwrap();
    drop(proxy);
    let error = stream.read(&mut [0; 16]).await.unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::ConnectionReset);
    let deadline = Instant::now() + Duration::from_secs(2);
    while TcpStream::connect(addr).await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "the proxy still accepts connections"
        );
        sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn only_loopback_addresses_are_allowed() {
    let loopback = echo().await;
    let outside: SocketAddr = "192.0.2.1:80".parse().unwrap();
    let error = Proxy::start(outside, Profile::unlimited())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    let any: SocketAddr = "0.0.0.0:0".parse().unwrap();
    let error = Proxy::start_on(any, loopback, Profile::unlimited())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
    assert!(
        Proxy::start("[::1]:80".parse().unwrap(), Profile::unlimited())
            .await
            .is_ok()
    );
}

#[test]
fn profiles_have_names() {
    for name in ["2g", "3g", "flaky", "unlimited"] {
        assert_eq!(Profile::named(name).unwrap().name, name);
    }
    assert_eq!(Profile::named("5g"), None);
    let g2 = Profile::g2();
    assert_eq!(
        (g2.down_bps, g2.up_bps, g2.rtt),
        (200_000, 100_000, Duration::from_millis(600))
    );
}
