//! Runs the network shaping proxy by hand or from scripts:
//!
//! ```text
//! netshape --upstream 127.0.0.1:8080 [--listen 127.0.0.1:0] [--profile 2g|3g|flaky|unlimited]
//!          [--seed N]
//! ```
//!
//! Prints the address it listens on as the first line of standard output, then forwards until
//! interrupted, when it prints what it forwarded to standard error.

use std::net::SocketAddr;
use std::process::ExitCode;

use ronda_tests::netshape::{Profile, Proxy};

const USAGE: &str = "usage: netshape --upstream ADDR [--listen ADDR] \
                     [--profile 2g|3g|flaky|unlimited] [--seed N]";

#[derive(Debug)]
struct Args {
    listen: SocketAddr,
    upstream: SocketAddr,
    profile: Profile,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut listen = SocketAddr::from(([127, 0, 0, 1], 0));
    let (mut upstream, mut profile, mut seed) = (None, Profile::g3(), None);
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_owned());
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let bad = |what: &str| format!("{flag}: {value:?} is not {what}\n{USAGE}");
        match flag.as_str() {
            "--listen" => listen = value.parse().map_err(|_| bad("an address"))?,
            "--upstream" => upstream = Some(value.parse().map_err(|_| bad("an address"))?),
            "--profile" => profile = Profile::named(&value).ok_or_else(|| bad("a profile"))?,
            "--seed" => seed = Some(value.parse().map_err(|_| bad("a number"))?),
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    let upstream = upstream.ok_or_else(|| format!("--upstream is required\n{USAGE}"))?;
    let profile = match seed {
        Some(seed) => profile.with_seed(seed),
        None => profile,
    };
    Ok(Args {
        listen,
        upstream,
        profile,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let proxy = match Proxy::start_on(args.listen, args.upstream, args.profile).await {
        Ok(proxy) => proxy,
        Err(error) => {
            eprintln!("netshape: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", proxy.addr());
    let profile = proxy.profile();
    eprintln!(
        "netshape: {} -> {} as {}: {profile:?}",
        proxy.addr(),
        proxy.upstream(),
        profile.name
    );
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("netshape: {error}");
    }
    eprintln!("netshape: {:?}", proxy.stats());
    ExitCode::SUCCESS
}
