//! Streams a Bedrock `ConverseStream` reply to the terminal as it arrives.
//!
//! `cargo run -p botogen-tests --example converse_stream [PROMPT]` talks to
//! a local fake that sends the reply word by word, a frame every 120 ms;
//! `-- --live MODEL_ID [PROMPT]` calls Bedrock itself with the usual
//! region and credentials (`AWS_REGION`, `AWS_PROFILE`, ...).

use botogen_bedrock_runtime::types::{
    ContentBlock, ContentBlockDelta, ConversationRole, ConverseStreamRequest, Message,
};
use botogen_bedrock_runtime::{BedrockRuntimeApi, Client, Config};
use botogen_runtime::event_stream::{Header, HeaderValue, Message as Frame, frame};
use std::io::Write as _;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let (config, model) = if args.first().map(String::as_str) == Some("--live") {
        args.remove(0);
        if args.is_empty() {
            return Err("--live needs a model id".into());
        }
        (Config::from_env(), args.remove(0))
    } else {
        let url = fake_bedrock().await?;
        eprintln!("(local fake Bedrock at {url}; pass --live MODEL_ID for the real one)");
        let config = Config::new()
            .region("us-east-1")
            .endpoint_url(url)
            .credentials("AKIDEXAMPLE", "fake-secret", None);
        (config, "fake.model-v1".to_owned())
    };
    let prompt = if args.is_empty() {
        "Tell me about event streams in one sentence.".to_owned()
    } else {
        args.join(" ")
    };

    let client = Client::new(config);
    let request = ConverseStreamRequest {
        messages: Some(vec![Message::new(
            ConversationRole::User,
            vec![ContentBlock::Text(prompt)],
        )]),
        ..ConverseStreamRequest::new(model)
    };
    let mut output = client.converse_stream(request).await?;
    let mut stdout = std::io::stdout();
    while let Some(event) = output.stream.recv().await? {
        if let Some(delta) = event.content_block_delta
            && let ContentBlockDelta::Text(text) = delta.delta
        {
            print!("{text}");
            stdout.flush()?;
        }
        if let Some(stop) = event.message_stop {
            println!("\n[stop: {}]", stop.stop_reason.as_str());
        }
        if let Some(meta) = event.metadata {
            println!(
                "[tokens: {} in, {} out; {} ms]",
                meta.usage.input_tokens, meta.usage.output_tokens, meta.metrics.latency_ms
            );
        }
    }
    Ok(())
}

/// One event frame, as Bedrock sends it.
fn event(kind: &str, payload: String) -> Vec<u8> {
    let message = Frame::new(payload.into_bytes())
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String(kind.to_owned().into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ))
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ));
    frame::encode(&message).expect("a small frame encodes")
}

/// A fake `ConverseStream` endpoint on 127.0.0.1: answers each request
/// with a chunked event stream, one word per frame.
async fn fake_bedrock() -> std::io::Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = answer(socket).await;
            });
        }
    });
    Ok(url)
}

async fn answer(socket: tokio::net::TcpStream) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    let mut length = 0;
    loop {
        let mut line = String::new();
        read.read_line(&mut line).await?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    read.read_exact(&mut body).await?;
    write
        .write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/vnd.amazon.eventstream\r\n\
              transfer-encoding: chunked\r\n\r\n",
        )
        .await?;
    let reply = "Event streams carry a reply as a sequence of small frames, \
                 so each word can be shown the moment it arrives.";
    let mut frames = vec![event("messageStart", r#"{"role":"assistant"}"#.to_owned())];
    for word in reply.split_inclusive(' ') {
        let text = serde_json::to_string(word).expect("a string serializes");
        frames.push(event(
            "contentBlockDelta",
            format!(r#"{{"contentBlockIndex":0,"delta":{{"text":{text}}}}}"#),
        ));
    }
    frames.push(event(
        "contentBlockStop",
        r#"{"contentBlockIndex":0}"#.to_owned(),
    ));
    frames.push(event(
        "messageStop",
        r#"{"stopReason":"end_turn"}"#.to_owned(),
    ));
    let words = reply.split_whitespace().count();
    frames.push(event(
        "metadata",
        format!(
            r#"{{"metrics":{{"latencyMs":{}}},"usage":{{"inputTokens":9,"outputTokens":{words},"totalTokens":{}}}}}"#,
            120 * words,
            9 + words
        ),
    ));
    for f in frames {
        let mut chunk = format!("{:x}\r\n", f.len()).into_bytes();
        chunk.extend(f);
        chunk.extend(b"\r\n");
        write.write_all(&chunk).await?;
        write.flush().await?;
        tokio::time::sleep(Duration::from_millis(120)).await;
    }
    write.write_all(b"0\r\n\r\n").await?;
    write.flush().await
}
