//! A network shaping proxy for tests and benchmarks: a loopback TCP proxy that makes a local
//! server look as if it were reached from a cheap phone on 2G or 3G. The kernel we test on has
//! no `tc netem`, so the shaping is done here, in user space, one connection at a time.
//!
//! ```no_run
//! # async fn demo(server: std::net::SocketAddr) -> std::io::Result<()> {
//! use ronda_tests::netshape::{Direction, Profile, Proxy};
//! let proxy = Proxy::start(server, Profile::g2()).await?;
//! // Point the client at `proxy.addr()` instead of `server`.
//! proxy.reset_next_after(10_000, Direction::Up); // cut the next upload after 10 000 bytes
//! # Ok(())
//! # }
//! ```
//!
//! # What it models
//!
//! - **Bandwidth**, per direction, shared by every connection through the proxy, as one phone's
//!   radio link is shared by all its connections. Bytes are paced onto the link in pieces of at
//!   most [`CHUNK`] bytes; an idle link may send a burst of 20 ms worth at once.
//! - **Latency**: each piece arrives `rtt / 2 ± jitter` after its last byte was sent. The delay
//!   is pipelined, as on a real link: it is paid once per round trip, not once per piece, so it
//!   does not lower throughput. Jitter never reorders bytes.
//! - **Connection setup**: forwarding starts one `rtt` after the proxy accepts a connection,
//!   the cost of the TCP handshake on the real link (loopback `connect()` returns at once, so
//!   the first byte pays it instead).
//! - **Resets**: a share of connections is reset (RST both ways, the peers see `ECONNRESET`)
//!   after a random number of bytes, and [`Proxy::reset_next_after`] cuts one at an exact byte.
//! - **Stalls**: now and then the whole link stops for a while, as when the phone loses signal
//!   without its connections dying; bytes already in flight still arrive.
//! - **No signal**: [`Proxy::set_offline`] resets new connections at once and stalls open ones
//!   until the signal is back; [`Proxy::cut_all`] resets every open connection.
//!
//! # What it does not model
//!
//! Packet loss and retransmission, TCP slow start and congestion control, the radio waking up
//! from idle, DNS, MTU, NAT timeouts, and half-open connections that die silently. Loopback
//! socket buffers are large, so a sender's `write` may complete long before its bytes have gone
//! through (a phone buffers too, but less): measure at the receiving end. Timing is as precise as
//! the tokio timer, about a millisecond.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rand::distr::uniform::SampleUniform;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{ReadHalf, WriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The largest piece forwarded at once, one TCP segment on Ethernet, so pacing stays smooth.
pub const CHUNK: usize = 1460;
/// Pieces that may be in flight in one direction of one connection (about 1.5 MB).
const QUEUE: usize = 1024;
/// How far an idle link may run ahead of its pace, so timer lateness does not cost throughput.
const BURST: Duration = Duration::from_millis(20);
/// The shortest gap between two stalls.
const MIN_STALL_GAP: Duration = Duration::from_millis(1);

/// How the link behaves. Changing it on a running [`Proxy`] with [`Proxy::set_profile`] applies
/// to open connections too, except for the decision to reset one, taken when it is accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// A short name for logs and the command line, such as `2g`.
    pub name: &'static str,
    /// Client to upstream bandwidth in bits per second; `u64::MAX` is unlimited.
    pub up_bps: u64,
    /// Upstream to client bandwidth in bits per second; `u64::MAX` is unlimited.
    pub down_bps: u64,
    /// Round-trip time; each direction adds half of it.
    pub rtt: Duration,
    /// Each one-way delay is off by a uniformly random amount up to this, either way.
    pub jitter: Duration,
    /// Connections reset on purpose, if any.
    pub reset: Option<Reset>,
    /// Pauses of the whole link, if any.
    pub stall: Option<Stall>,
    /// Seed for the proxy's random choices, for runs that repeat; `None` seeds from the OS. With
    /// a seed, which connections are reset and after how many bytes depends only on the order
    /// they are accepted in; jitter and stalls also repeat, but when they hit depends on timing.
    pub seed: Option<u64>,
}

/// Resetting a share of connections.
#[derive(Debug, Clone, PartialEq)]
pub struct Reset {
    /// Chance that a new connection will be reset, from 0 to 1.
    pub probability: f64,
    /// It is reset once this many bytes (both directions together) have been forwarded.
    pub after_bytes: RangeInclusive<u64>,
}

/// Pauses of the whole link, in both directions, as when a phone briefly loses signal.
#[derive(Debug, Clone, PartialEq)]
pub struct Stall {
    /// Mean time between the end of one stall and the start of the next (exponentially
    /// distributed). Stalls happen whether or not anything is being sent: only bytes waiting to
    /// go on the link during one notice it.
    pub mean_interval: Duration,
    /// How long each stall lasts, uniformly distributed.
    pub duration: RangeInclusive<Duration>,
}

impl Profile {
    /// 2G (EDGE): 200 kbit/s down, 100 kbit/s up, 600 ms ± 50 ms RTT, 2 % of connections reset
    /// after up to 128 KiB.
    pub fn g2() -> Self {
        Profile {
            name: "2g",
            up_bps: 100_000,
            down_bps: 200_000,
            rtt: Duration::from_millis(600),
            jitter: Duration::from_millis(50),
            reset: Some(Reset {
                probability: 0.02,
                after_bytes: 1..=128 * 1024,
            }),
            stall: None,
            seed: None,
        }
    }

    /// 3G: 1.6 Mbit/s down, 768 kbit/s up, 300 ms ± 20 ms RTT, 0.5 % of connections reset after
    /// up to 1 MiB.
    pub fn g3() -> Self {
        Profile {
            name: "3g",
            up_bps: 768_000,
            down_bps: 1_600_000,
            rtt: Duration::from_millis(300),
            jitter: Duration::from_millis(20),
            reset: Some(Reset {
                probability: 0.005,
                after_bytes: 1..=1024 * 1024,
            }),
            stall: None,
            seed: None,
        }
    }

    /// 3G at the edge of coverage: 3G bandwidth, 300 ms ± 50 ms RTT, 15 % of connections reset
    /// after 1 to 64 KiB, and a 1 to 3 s stall every 15 s or so.
    pub fn flaky() -> Self {
        Profile {
            name: "flaky",
            jitter: Duration::from_millis(50),
            reset: Some(Reset {
                probability: 0.15,
                after_bytes: 1024..=64 * 1024,
            }),
            stall: Some(Stall {
                mean_interval: Duration::from_secs(15),
                duration: Duration::from_secs(1)..=Duration::from_secs(3),
            }),
            ..Profile::g3()
        }
    }

    /// No shaping at all: the proxy only forwards and counts.
    pub fn unlimited() -> Self {
        Profile {
            name: "unlimited",
            up_bps: u64::MAX,
            down_bps: u64::MAX,
            rtt: Duration::ZERO,
            jitter: Duration::ZERO,
            reset: None,
            stall: None,
            seed: None,
        }
    }

    /// The profile called `2g`, `3g`, `flaky` or `unlimited`.
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "2g" => Some(Self::g2()),
            "3g" => Some(Self::g3()),
            "flaky" => Some(Self::flaky()),
            "unlimited" => Some(Self::unlimited()),
            _ => None,
        }
    }

    /// This profile with its random choices seeded, so that runs repeat.
    pub fn with_seed(self, seed: u64) -> Self {
        Profile {
            seed: Some(seed),
            ..self
        }
    }

    fn bps(&self, dir: Direction) -> u64 {
        match dir {
            Direction::Up => self.up_bps,
            Direction::Down => self.down_bps,
        }
    }
}

/// A direction through the proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From the client to the upstream server: an upload.
    Up,
    /// From the upstream server to the client: a download.
    Down,
}

/// What the proxy has done since it started or since [`Proxy::reset_stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Bytes written to the upstream server.
    pub bytes_up: u64,
    /// Bytes written to clients.
    pub bytes_down: u64,
    /// Connections accepted.
    pub connections: u64,
    /// Connections the proxy reset on purpose: by the profile, [`Proxy::reset_next_after`],
    /// [`Proxy::cut_all`] or while offline. Connections a peer reset are not counted.
    pub resets: u64,
    /// Connections open now (not cleared by [`Proxy::reset_stats`]). Once it is 0, the other
    /// counts are final.
    pub active: u64,
}

/// A running shaping proxy. Dropping it stops the listener and resets every open connection.
pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    cut: watch::Sender<()>,
    accept: JoinHandle<()>,
}

impl Proxy {
    /// Starts a proxy to `upstream` on an ephemeral port of 127.0.0.1.
    pub async fn start(upstream: SocketAddr, profile: Profile) -> io::Result<Proxy> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0)), upstream, profile).await
    }

    /// Starts a proxy to `upstream` listening on `listen`. Both must be loopback addresses, or
    /// this fails with [`io::ErrorKind::InvalidInput`]: the proxy is for local testing only.
    pub async fn start_on(
        listen: SocketAddr,
        upstream: SocketAddr,
        profile: Profile,
    ) -> io::Result<Proxy> {
        for (what, addr) in [("listen", listen), ("upstream", upstream)] {
            if !addr.ip().to_canonical().is_loopback() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "{what} address {addr} is not loopback: netshape is for local tests only"
                    ),
                ));
            }
        }
        let listener = TcpListener::bind(listen).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            link: Mutex::new(Link::new(profile)),
            counters: Counters::default(),
            offline: AtomicBool::new(false),
            online: Notify::new(),
        });
        let (cut, cut_rx) = watch::channel(());
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared), cut_rx));
        Ok(Proxy {
            addr,
            shared,
            cut,
            accept,
        })
    }

    /// The address clients should connect to.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The address connections are forwarded to.
    pub fn upstream(&self) -> SocketAddr {
        self.shared.upstream
    }

    /// The profile in force.
    pub fn profile(&self) -> Profile {
        self.shared.link().profile.clone()
    }

    /// Replaces the profile, for new and open connections alike. A seeded profile reseeds the
    /// proxy's random choices.
    pub fn set_profile(&self, profile: Profile) {
        self.shared.link().set_profile(profile);
    }

    /// The counts so far. Bytes are counted once written to the receiving peer; wait until
    /// `active` is 0 before comparing them exactly.
    pub fn stats(&self) -> Stats {
        let c = &self.shared.counters;
        Stats {
            bytes_up: c.bytes[Direction::Up as usize].load(SeqCst),
            bytes_down: c.bytes[Direction::Down as usize].load(SeqCst),
            connections: c.connections.load(SeqCst),
            resets: c.resets.load(SeqCst),
            active: c.active.load(SeqCst),
        }
    }

    /// Sets every count but `active` back to 0.
    pub fn reset_stats(&self) {
        let c = &self.shared.counters;
        for counter in [&c.bytes[0], &c.bytes[1], &c.connections, &c.resets] {
            counter.store(0, SeqCst);
        }
    }

    /// Resets every open connection now, as when a phone loses its signal for good.
    pub fn cut_all(&self) {
        self.cut.send_replace(());
    }

    /// Offline, new connections are accepted and reset at once, and open ones stall (bytes
    /// already in flight still arrive) until the proxy is back online.
    pub fn set_offline(&self, offline: bool) {
        self.shared.offline.store(offline, SeqCst);
        if !offline {
            self.shared.online.notify_waiters();
        }
    }

    /// Resets the next connection accepted (while online) once exactly `bytes` bytes have been
    /// forwarded in `direction`, whatever the profile says. With 0 it is reset at once.
    pub fn reset_next_after(&self, bytes: u64, direction: Direction) {
        self.shared.link().reset_next = Some((bytes, direction));
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        // Dropping `cut` next makes every connection reset itself.
        self.accept.abort();
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy")
            .field("addr", &self.addr)
            .field("upstream", &self.shared.upstream)
            .field("profile", &self.shared.link().profile.name)
            .field("stats", &self.stats())
            .finish()
    }
}

struct Shared {
    upstream: SocketAddr,
    link: Mutex<Link>,
    counters: Counters,
    offline: AtomicBool,
    online: Notify,
}

impl Shared {
    fn link(&self) -> MutexGuard<'_, Link> {
        self.link.lock().unwrap_or_else(PoisonError::into_inner)
    }

    async fn wait_online(&self) {
        loop {
            let mut online = pin!(self.online.notified());
            online.as_mut().enable();
            if !self.offline.load(SeqCst) {
                return;
            }
            online.await;
        }
    }
}

#[derive(Default)]
struct Counters {
    bytes: [AtomicU64; 2],
    connections: AtomicU64,
    resets: AtomicU64,
    active: AtomicU64,
}

/// The phone's link, shared by all its connections.
struct Link {
    profile: Profile,
    /// Draws for the link (jitter, stalls), apart from those for connections (resets), so that
    /// with a seed which connections are reset does not depend on timing.
    rng: StdRng,
    fate: StdRng,
    /// When each direction has finished sending what it was given.
    free_at: [Instant; 2],
    next_stall: Option<Instant>,
    reset_next: Option<(u64, Direction)>,
}

impl Link {
    fn new(profile: Profile) -> Self {
        let now = Instant::now();
        let (rng, fate) = rngs(profile.seed);
        let mut link = Link {
            profile,
            rng,
            fate,
            free_at: [now; 2],
            next_stall: None,
            reset_next: None,
        };
        link.schedule_stall(now);
        link
    }

    fn set_profile(&mut self, profile: Profile) {
        if profile.seed.is_some() {
            (self.rng, self.fate) = rngs(profile.seed);
        }
        self.profile = profile;
        self.schedule_stall(Instant::now());
    }

    fn schedule_stall(&mut self, from: Instant) {
        self.next_stall = match &self.profile.stall {
            Some(stall) => from.checked_add(exponential(&mut self.rng, stall.mean_interval)),
            None => None,
        };
    }

    /// Puts `len` bytes on the link in `dir` at `now`. Returns when their last byte will have
    /// been sent, and how long they then take to arrive.
    fn send(&mut self, dir: Direction, len: usize, now: Instant) -> (Instant, Duration) {
        let mut start = now
            .checked_sub(BURST)
            .unwrap_or(now)
            .max(self.free_at[dir as usize]);
        if let Some(stall) = &self.profile.stall {
            // Every stall that began by now or by `start` delays these bytes if it is not over.
            while let Some(at) = self.next_stall.filter(|&at| at <= start.max(now)) {
                let end = at + pick(&mut self.rng, &stall.duration);
                start = start.max(end);
                let gap = exponential(&mut self.rng, stall.mean_interval).max(MIN_STALL_GAP);
                self.next_stall = end.checked_add(gap);
            }
        }
        let bits = len as f64 * 8.0;
        let done = start + Duration::from_secs_f64(bits / self.profile.bps(dir).max(1) as f64);
        self.free_at[dir as usize] = done;
        let sent = done.max(now); // a burst goes out now, not in the past

        let mut delay = self.profile.rtt / 2;
        if !self.profile.jitter.is_zero() {
            let jitter = self.profile.jitter.as_secs_f64();
            let secs = delay.as_secs_f64() + self.rng.random_range(-jitter..=jitter);
            delay = Duration::from_secs_f64(secs.max(0.0));
        }
        (sent, delay)
    }

    /// Whether and when to reset a connection being accepted.
    fn plan_reset(&mut self) -> Option<Budget> {
        if let Some((bytes, dir)) = self.reset_next.take() {
            return Some(Budget {
                direction: Some(dir),
                left: AtomicU64::new(bytes),
            });
        }
        let reset = self.profile.reset.as_ref()?;
        if !self.fate.random_bool(reset.probability.clamp(0.0, 1.0)) {
            return None;
        }
        let bytes = pick(&mut self.fate, &reset.after_bytes);
        Some(Budget {
            direction: None,
            left: AtomicU64::new(bytes),
        })
    }
}

fn rngs(seed: Option<u64>) -> (StdRng, StdRng) {
    let mut root = seed.map_or_else(StdRng::from_os_rng, StdRng::seed_from_u64);
    (StdRng::from_rng(&mut root), StdRng::from_rng(&mut root))
}

fn exponential(rng: &mut StdRng, mean: Duration) -> Duration {
    let u: f64 = rng.random();
    Duration::try_from_secs_f64(-mean.as_secs_f64() * (1.0 - u).ln()).unwrap_or(Duration::MAX)
}

fn pick<T: SampleUniform + PartialOrd + Copy>(rng: &mut StdRng, range: &RangeInclusive<T>) -> T {
    if range.start() < range.end() {
        rng.random_range(range.clone())
    } else {
        *range.start()
    }
}

/// Bytes a connection may still carry before it is reset, in one direction or both together.
struct Budget {
    direction: Option<Direction>,
    left: AtomicU64,
}

impl Budget {
    fn applies(&self, dir: Direction) -> bool {
        self.direction.is_none_or(|d| d == dir)
    }

    fn spent(&self, dir: Direction) -> bool {
        self.applies(dir) && self.left.load(SeqCst) == 0
    }

    /// Takes up to `want` bytes; returns how many may be written.
    fn take(&self, dir: Direction, want: usize) -> usize {
        if !self.applies(dir) {
            return want;
        }
        let want = want as u64;
        let before = self
            .left
            .fetch_update(SeqCst, SeqCst, |left| Some(left.saturating_sub(want)));
        before.unwrap_or_else(|left| left).min(want) as usize
    }

    fn give_back(&self, dir: Direction, bytes: usize) {
        if self.applies(dir) {
            self.left.fetch_add(bytes as u64, SeqCst);
        }
    }
}

/// Why a connection ends abruptly.
enum Abort {
    /// The proxy resets it on purpose.
    Fault,
    /// A peer failed; the failure is passed on to the other peer as a reset.
    Io(io::Error),
}

impl From<io::Error> for Abort {
    fn from(error: io::Error) -> Self {
        Abort::Io(error)
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, cut: watch::Receiver<()>) {
    loop {
        let client = match listener.accept().await {
            Ok((client, _)) => client,
            Err(error) => {
                tracing::warn!(%error, "netshape: accept failed");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let accepted = Instant::now();
        let counters = &shared.counters;
        counters.connections.fetch_add(1, SeqCst);
        if shared.offline.load(SeqCst) {
            counters.resets.fetch_add(1, SeqCst);
            let _ = client.set_zero_linger();
            continue;
        }
        let budget = shared.link().plan_reset();
        counters.active.fetch_add(1, SeqCst);
        let mut cut = cut.clone();
        cut.mark_unchanged();
        tokio::spawn(serve(Arc::clone(&shared), client, accepted, budget, cut));
    }
}

async fn serve(
    shared: Arc<Shared>,
    mut client: TcpStream,
    accepted: Instant,
    budget: Option<Budget>,
    mut cut: watch::Receiver<()>,
) {
    let mut upstream = TcpStream::connect(shared.upstream).await;
    let outcome = match &mut upstream {
        Ok(upstream) => {
            let _ = (client.set_nodelay(true), upstream.set_nodelay(true));
            tokio::select! {
                outcome = forward(&shared, &mut client, upstream, accepted, budget.as_ref()) => outcome,
                _ = cut.changed() => Err(Abort::Fault),
            }
        }
        Err(error) => Err(Abort::Io(io::Error::new(
            error.kind(),
            format!("upstream: {error}"),
        ))),
    };
    // Reset both peers; dropping the sockets with a zero linger sends RST rather than FIN.
    let failed = match outcome {
        Ok(()) => false,
        Err(Abort::Fault) => {
            shared.counters.resets.fetch_add(1, SeqCst);
            true
        }
        Err(Abort::Io(error)) => {
            tracing::debug!(%error, "netshape: passing a failure on");
            true
        }
    };
    if failed {
        let _ = client.set_zero_linger();
        if let Ok(upstream) = &upstream {
            let _ = upstream.set_zero_linger();
        }
    }
    drop((client, upstream));
    shared.counters.active.fetch_sub(1, SeqCst);
}

async fn forward(
    shared: &Shared,
    client: &mut TcpStream,
    upstream: &mut TcpStream,
    accepted: Instant,
    budget: Option<&Budget>,
) -> Result<(), Abort> {
    let handshake = shared.link().profile.rtt;
    wait_until(accepted + handshake).await;
    let (client_in, client_out) = client.split();
    let (upstream_in, upstream_out) = upstream.split();
    tokio::try_join!(
        pipe(shared, client_in, upstream_out, Direction::Up, budget),
        pipe(shared, upstream_in, client_out, Direction::Down, budget),
    )?;
    Ok(())
}

/// Forwards one direction: `carry` paces bytes onto the link, `deliver` writes each piece when
/// it arrives. The queue between them holds the bytes in flight.
async fn pipe(
    shared: &Shared,
    mut from: ReadHalf<'_>,
    mut to: WriteHalf<'_>,
    dir: Direction,
    budget: Option<&Budget>,
) -> Result<(), Abort> {
    let (tx, rx) = mpsc::channel(QUEUE);
    tokio::try_join!(
        carry(shared, &mut from, dir, tx),
        deliver(shared, &mut to, dir, budget, rx)
    )?;
    Ok(())
}

async fn carry(
    shared: &Shared,
    from: &mut ReadHalf<'_>,
    dir: Direction,
    queue: mpsc::Sender<(Instant, Vec<u8>)>,
) -> Result<(), Abort> {
    let mut due = Instant::now();
    loop {
        let mut chunk = vec![0; CHUNK];
        let len = from.read(&mut chunk).await?;
        if len == 0 {
            return Ok(()); // dropping `queue` makes `deliver` pass the end on
        }
        chunk.truncate(len);
        shared.wait_online().await;
        let (sent, delay) = shared.link().send(dir, len, Instant::now());
        due = due.max(sent + delay);
        if queue.send((due, chunk)).await.is_err() {
            return Ok(()); // `deliver` failed, and says why
        }
        wait_until(sent).await;
    }
}

async fn deliver(
    shared: &Shared,
    to: &mut WriteHalf<'_>,
    dir: Direction,
    budget: Option<&Budget>,
    mut queue: mpsc::Receiver<(Instant, Vec<u8>)>,
) -> Result<(), Abort> {
    let spent = || budget.is_some_and(|b| b.spent(dir));
    if spent() {
        return Err(Abort::Fault);
    }
    while let Some((due, chunk)) = queue.recv().await {
        wait_until(due).await;
        let mut rest = &chunk[..];
        while !rest.is_empty() {
            let allowed = budget.map_or(rest.len(), |b| b.take(dir, rest.len()));
            if allowed == 0 {
                return Err(Abort::Fault);
            }
            let written = to.write(&rest[..allowed]).await?;
            if written == 0 {
                return Err(io::Error::from(io::ErrorKind::WriteZero).into());
            }
            if let Some(budget) = budget {
                budget.give_back(dir, allowed - written);
            }
            shared.counters.bytes[dir as usize].fetch_add(written as u64, SeqCst);
            rest = &rest[written..];
            if spent() {
                return Err(Abort::Fault);
            }
        }
    }
    to.shutdown().await?;
    Ok(())
}

/// Sleeps until `deadline` if it is still ahead. (The tokio timer rounds a deadline up to the
/// next millisecond even when it has passed, which would cap a link at one piece a millisecond.)
async fn wait_until(deadline: Instant) {
    if deadline > Instant::now() {
        tokio::time::sleep_until(deadline).await;
    }
}
