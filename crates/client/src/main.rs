//! `ronda`: the device's store from the command line, for scripting, demos and tests.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::args::Cli::parse();
    cli::run(args)
}
