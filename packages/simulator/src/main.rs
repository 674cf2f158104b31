//! `clearing-sim SCENARIO.json [--json] [--chart PATH | --no-chart] [--native | --cw20]`

use std::io::Write;
use std::process::ExitCode;

use clearing_sim::cli::{self, Command, USAGE};

fn main() -> ExitCode {
    let opts = match cli::parse(std::env::args().skip(1)) {
        Ok(Command::Run(opts)) => opts,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => return fail(&err),
    };
    match clearing_sim::simulate(&opts) {
        Ok(out) => {
            for note in &out.stderr {
                eprintln!("{note}");
            }
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the report: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(err) => fail(&err),
    }
}

fn fail(err: &clearing_sim::SimError) -> ExitCode {
    eprintln!("error: {err}");
    ExitCode::from(err.exit_code())
}
