//! city-skill: picks Lambda or the command line.

use std::process::ExitCode;

fn main() -> ExitCode {
    if city_skill::config::Settings::on_lambda() {
        return match city_skill::host::lambda::run_lambda() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("city-skill: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    city_skill::local::cli::main()
}
