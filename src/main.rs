//! The `tandem` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tandem::cli::run(&tandem::cli::Cli::parse())
}
