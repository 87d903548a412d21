//! The `tandem` binary: parse the command line and hand over to the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    match tandem::cli::parse_args(std::env::args_os()) {
        Ok(cli) => tandem::cli::run(&cli),
        Err(code) => code,
    }
}
