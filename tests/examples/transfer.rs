//! `cargo run --release -p botogen-tests --example transfer [MiB]`: the
//! large-transfer test's upload and download (default 1024 MiB), printed as
//! `key=value` lines for `cargo xtask bench transfer`.

#[path = "../tests/support/transfer.rs"]
mod transfer;

fn main() -> std::process::ExitCode {
    let mib: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1024);
    let size = mib << 20;
    let dir = std::env::temp_dir().join(format!("botogen-transfer-{}", std::process::id()));
    let path = dir.join("object.bin");
    let result = std::fs::create_dir_all(&dir)
        .and_then(|()| transfer::write_object(&path, size))
        .map_err(|e| e.to_string())
        .and_then(|()| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .map_err(|e| e.to_string())?
                .block_on(transfer::run(&path, size))
        });
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(r) => {
            println!("size_bytes={}", r.size);
            println!("upload_secs={:.3}", r.upload.as_secs_f64());
            println!("download_secs={:.3}", r.download.as_secs_f64());
            println!(
                "peak_rss_kib={}",
                r.peak_rss_kib
                    .map_or_else(|| "n/a".to_owned(), |k| k.to_string())
            );
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("transfer failed: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
