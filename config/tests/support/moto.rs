//! moto's server on a free loopback port, once per test binary.
//!
//! moto runs from `target/moto-venv`, which `config/tests/install-moto.sh`
//! creates on first use (`.ci/run` installs it up front). The server exits
//! by itself when the test process does (a watchdog thread polls its
//! parent), so no server outlives the tests. Included by the config tests
//! (STS) and, by path, by the workspace tests (S3).

use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// moto's server, shared by the tests of one binary.
pub struct Moto {
    pub url: String,
    /// Kept, never waited for: the watchdog ends it with the test process.
    _server: std::sync::Mutex<std::process::Child>,
}

/// Starts moto (installing it first if needed) once per test binary.
pub fn moto() -> &'static Moto {
    static MOTO: OnceLock<Moto> = OnceLock::new();
    MOTO.get_or_init(start_moto)
}

/// The workspace's target directory (both including crates sit one level
/// below the repository root).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Exits with the test process: moto's server has no such option.
const WATCHDOG: &str = r#"
import os, sys, threading, time
parent = os.getppid()
def watch():
    while os.getppid() == parent:
        time.sleep(0.3)
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
from moto.server import main
main(["-H", "127.0.0.1", "-p", sys.argv[1]])
"#;

fn start_moto() -> Moto {
    let venv = target_dir().join("moto-venv");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/tests/install-moto.sh");
    let status = Command::new("bash")
        .arg(&script)
        .arg(&venv)
        .status()
        .expect("run install-moto.sh");
    assert!(
        status.success(),
        "installing moto into {} failed",
        venv.display()
    );
    let python = venv.join("bin/python");
    for _ in 0..3 {
        // A free port: bind, read it, release (another process could take
        // it in between; then moto fails to bind and we try another).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // moto logs every request to stderr: a file, not a pipe nobody reads.
        let log_path =
            std::env::temp_dir().join(format!("botogen-moto-{}-{port}.log", std::process::id()));
        let log = std::fs::File::create(&log_path).expect("log file");
        let mut child = Command::new(&python)
            .args(["-c", WATCHDOG, &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start moto");
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                // moto keeps writing to the unlinked file; nothing is left behind.
                let _ = std::fs::remove_file(&log_path);
                return Moto {
                    url: format!("http://127.0.0.1:{port}"),
                    _server: std::sync::Mutex::new(child),
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                let mut text = String::new();
                let _ =
                    std::fs::File::open(&log_path).and_then(|mut f| f.read_to_string(&mut text));
                eprintln!("moto exited ({status}) on port {port}: {text}");
                let _ = std::fs::remove_file(&log_path);
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        let _ = std::fs::remove_file(&log_path);
    }
    panic!("moto's server did not start");
}
