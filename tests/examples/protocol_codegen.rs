//! Regenerates (or with `--check`, checks) the compliance suite modules
//! without xtask: `cargo run -p botogen-tests --example protocol_codegen`.

fn main() -> std::process::ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    match botogen_tests::generate_protocol_modules(check) {
        Ok(report) => {
            for path in &report.changed {
                println!(
                    "{} {}",
                    if check { "stale" } else { "wrote" },
                    path.display()
                );
            }
            if check && !report.changed.is_empty() {
                return std::process::ExitCode::FAILURE;
            }
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
