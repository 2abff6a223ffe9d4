//! Output event streams through the generated clients against loopback
//! servers that send `application/vnd.amazon.eventstream` frames one at a
//! time: Bedrock ConverseStream and Lambda InvokeWithResponseStream
//! (rest-json), S3 SelectObjectContent (rest-xml), Kinesis SubscribeToShard
//! (json, with its `initial-response` event).
//!
//! The servers send frame `n + 1` only after the client has received event
//! `n`, so a client that waited for the whole body would time out: events
//! arrive before the body ends. Frames come from `event_streams/frames.json`
//! (encoded by `make_frames.py` with zlib's CRC32, independently of the
//! runtime's codec; one is compared byte for byte with the codec's output)
//! and from the runtime's own encoder.

use botogen_runtime::event_stream::frame::{self, FrameError};
use botogen_runtime::event_stream::{Header, HeaderValue, Message};
use botogen_runtime::{ProvideErrorMetadata, SdkError};
use std::collections::BTreeMap;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// What the server received.
#[derive(Debug)]
struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A one-connection HTTP/1.1 server answering `status` and `headers`, then
/// a chunked body of whatever the test sends (one chunk per send; dropping
/// the sender ends the body).
struct Server {
    url: String,
    chunks: Option<mpsc::UnboundedSender<Vec<u8>>>,
    request: tokio::sync::oneshot::Receiver<Request>,
}

impl Server {
    async fn start(status: u16, headers: &[(&str, &str)]) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
        let (req_tx, req_rx) = tokio::sync::oneshot::channel();
        let mut head = format!("HTTP/1.1 {status} X\r\ntransfer-encoding: chunked\r\n");
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut read = BufReader::new(read);
            let mut line = String::new();
            read.read_line(&mut line).await.unwrap();
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap_or("").to_owned();
            let path = parts.next().unwrap_or("").to_owned();
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                read.read_line(&mut line).await.unwrap();
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                let (k, v) = line.split_once(':').unwrap();
                headers.push((k.trim().to_owned(), v.trim().to_owned()));
            }
            let len = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, v)| v.parse::<usize>().unwrap());
            let mut body = vec![0; len];
            read.read_exact(&mut body).await.unwrap();
            let _ = req_tx.send(Request {
                method,
                path,
                headers,
                body,
            });
            write.write_all(head.as_bytes()).await.unwrap();
            write.flush().await.unwrap();
            while let Some(chunk) = rx.recv().await {
                if chunk.is_empty() {
                    continue;
                }
                let mut out = format!("{:x}\r\n", chunk.len()).into_bytes();
                out.extend(chunk);
                out.extend(b"\r\n");
                if write.write_all(&out).await.is_err() {
                    return;
                }
                write.flush().await.unwrap();
            }
            let _ = write.write_all(b"0\r\n\r\n").await;
            let _ = write.flush().await;
        });
        Server {
            url,
            chunks: Some(tx),
            request: req_rx,
        }
    }

    fn send(&self, bytes: Vec<u8>) {
        self.chunks.as_ref().unwrap().send(bytes).unwrap();
    }

    /// Ends the response body.
    fn end(&mut self) {
        self.chunks = None;
    }
}

fn config(url: &str) -> botogen_runtime::client::Config {
    botogen_runtime::client::Config::new()
        .region("us-east-1")
        .endpoint_url(url)
        .credentials("AKIDEXAMPLE", "SECRET", None)
        .max_attempts(1)
}

/// The frames of `make_frames.py`, by case.
fn frames(case: &str) -> Vec<Vec<u8>> {
    let text = include_str!("../event_streams/frames.json");
    let all: BTreeMap<String, Vec<String>> = serde_json::from_str(text).unwrap();
    all[case]
        .iter()
        .map(|h| {
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                .collect()
        })
        .collect()
}

fn event(kind: &str, content_type: &str, payload: &[u8]) -> Vec<u8> {
    let message = Message::new(payload.to_vec())
        .add_header(Header::new(
            ":event-type",
            HeaderValue::String(kind.to_owned().into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String(content_type.to_owned().into()),
        ))
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("event".into()),
        ));
    frame::encode(&message).unwrap()
}

fn exception(kind: &str, payload: &[u8]) -> Vec<u8> {
    let message = Message::new(payload.to_vec())
        .add_header(Header::new(
            ":exception-type",
            HeaderValue::String(kind.to_owned().into()),
        ))
        .add_header(Header::new(
            ":content-type",
            HeaderValue::String("application/json".into()),
        ))
        .add_header(Header::new(
            ":message-type",
            HeaderValue::String("exception".into()),
        ));
    frame::encode(&message).unwrap()
}

/// Fails instead of hanging when an event does not come.
async fn within<F: std::future::Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(10), f)
        .await
        .expect("the event did not arrive while the body was still open")
}

mod bedrock {
    use super::*;
    use botogen_bedrock_runtime::operations::ConverseStreamError;
    use botogen_bedrock_runtime::types::{
        ContentBlock, ContentBlockDelta, ConversationRole, ConverseStreamOutput,
        ConverseStreamRequest, Message as ChatMessage, StopReason,
    };
    use botogen_bedrock_runtime::{BedrockRuntimeApi, Client};

    fn request() -> ConverseStreamRequest {
        ConverseStreamRequest {
            messages: Some(vec![ChatMessage::new(
                ConversationRole::User,
                vec![ContentBlock::Text("Say hello".into())],
            )]),
            ..ConverseStreamRequest::new("anthropic.claude-3-haiku")
        }
    }

    #[tokio::test]
    async fn converse_stream_events_arrive_as_they_are_sent() {
        let mut server = Server::start(
            200,
            &[
                ("content-type", "application/vnd.amazon.eventstream"),
                ("x-amzn-requestid", "req-1"),
            ],
        )
        .await;
        let frames = frames("converse_stream");
        // The first frame goes out with the headers; each next one only
        // after the client has decoded the previous.
        server.send(frames[0].clone());
        let client = Client::new(config(&server.url));
        let mut output = within(client.converse_stream(request())).await.unwrap();
        let request = server.request.try_recv().unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.path,
            "/model/anthropic.claude-3-haiku/converse-stream"
        );
        assert!(
            request
                .header("authorization")
                .unwrap()
                .starts_with("AWS4-HMAC-SHA256 ")
        );
        let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
        assert_eq!(sent["messages"][0]["content"][0]["text"], "Say hello");

        let mut seen: Vec<ConverseStreamOutput> = Vec::new();
        for next in frames[1..].iter().map(Some).chain([None]) {
            let event = within(output.stream.recv()).await.unwrap().unwrap();
            seen.push(event);
            match next {
                Some(f) => server.send(f.clone()),
                None => server.end(),
            }
        }
        assert_eq!(
            within(output.stream.recv()).await.unwrap().map(|_| ()),
            None
        );
        assert!(output.stream.is_done());

        assert_eq!(
            seen[0].message_start.as_ref().unwrap().role,
            ConversationRole::Assistant
        );
        let text: String = seen
            .iter()
            .filter_map(|e| e.content_block_delta.as_ref())
            .map(|d| match &d.delta {
                ContentBlockDelta::Text(t) => t.as_str(),
                other => panic!("unexpected delta {other:?}"),
            })
            .collect();
        assert_eq!(text, "Hello, world");
        assert_eq!(
            seen[3]
                .content_block_stop
                .as_ref()
                .unwrap()
                .content_block_index,
            0
        );
        assert_eq!(
            seen[4].message_stop.as_ref().unwrap().stop_reason,
            StopReason::EndTurn
        );
        let meta = seen[5].metadata.as_ref().unwrap();
        assert_eq!(
            (
                meta.usage.input_tokens,
                meta.usage.output_tokens,
                meta.usage.total_tokens
            ),
            (5, 3, 8)
        );
        assert_eq!(meta.metrics.latency_ms, 123);
        // Exactly one member is set per event.
        assert!(seen[1].message_start.is_none() && seen[1].metadata.is_none());
    }

    #[tokio::test]
    async fn a_modeled_exception_event_is_the_typed_error() {
        let mut server = Server::start(200, &[("x-amzn-requestid", "req-2")]).await;
        for f in frames("converse_stream_throttled") {
            server.send(f);
        }
        server.end();
        let client = Client::new(config(&server.url));
        let mut output = client.converse_stream(request()).await.unwrap();
        let first = output.stream.recv().await.unwrap().unwrap();
        assert!(first.message_start.is_some());
        match output.stream.recv().await {
            Err(ConverseStreamError::ThrottlingException(e)) => {
                assert_eq!(e.message.as_deref(), Some("Too many tokens, please wait."));
                assert_eq!(e.meta().code(), Some("throttlingException"));
                assert_eq!(e.meta().request_id(), Some("req-2"));
            }
            other => panic!("expected ThrottlingException, got {other:?}"),
        }
        // The stream is over after an exception.
        assert!(matches!(output.stream.recv().await, Ok(None)));
    }

    #[tokio::test]
    async fn an_exception_the_operation_does_not_list_is_unlisted() {
        let mut server = Server::start(200, &[]).await;
        server.send(exception(
            "modelStreamErrorException",
            br#"{"message":"bad model","originalStatusCode":500}"#,
        ));
        server.end();
        let client = Client::new(config(&server.url));
        let mut output = client.converse_stream(request()).await.unwrap();
        match output.stream.recv().await {
            Err(ConverseStreamError::Unlisted(e)) => match *e {
                botogen_bedrock_runtime::Error::ModelStreamErrorException(e) => {
                    assert_eq!(e.original_status_code, Some(500));
                    assert_eq!(e.message.as_deref(), Some("bad model"));
                }
                other => panic!("unexpected {other:?}"),
            },
            other => panic!("expected Unlisted, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_corrupt_frame_is_an_error_after_the_good_ones() {
        let mut server = Server::start(200, &[]).await;
        let frames = frames("converse_stream");
        let mut bad = frames[1].clone();
        let n = bad.len();
        bad[n - 8] ^= 0x01; // a payload byte: the message CRC no longer matches
        server.send(frames[0].clone());
        server.send(bad);
        server.end();
        let client = Client::new(config(&server.url));
        let mut output = client.converse_stream(request()).await.unwrap();
        assert!(
            output
                .stream
                .recv()
                .await
                .unwrap()
                .unwrap()
                .message_start
                .is_some()
        );
        match output.stream.recv().await {
            Err(ConverseStreamError::Sdk(SdkError::Transport(e))) => {
                let e = e.downcast_ref::<FrameError>().expect("a FrameError");
                assert!(matches!(e, FrameError::Invalid(_)), "{e:?}");
                assert!(e.to_string().contains("corrupt event stream frame"), "{e}");
            }
            other => panic!("expected a frame error, got {other:?}"),
        }
        assert!(matches!(output.stream.recv().await, Ok(None)));
    }

    #[tokio::test]
    async fn a_truncated_stream_is_an_error() {
        let mut server = Server::start(200, &[]).await;
        let frames = frames("converse_stream");
        server.send(frames[0].clone());
        server.send(frames[1][..20].to_vec());
        server.end();
        let client = Client::new(config(&server.url));
        let mut output = client.converse_stream(request()).await.unwrap();
        assert!(output.stream.recv().await.unwrap().is_some());
        match output.stream.recv().await {
            Err(ConverseStreamError::Sdk(SdkError::Transport(e))) => {
                let e = e.downcast_ref::<FrameError>().expect("a FrameError");
                assert_eq!(
                    e,
                    &FrameError::Truncated {
                        have: 20,
                        need: Some(frames[1].len())
                    }
                );
            }
            other => panic!("expected truncation, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_http_error_before_the_stream_is_the_usual_error() {
        let mut server = Server::start(400, &[("x-amzn-errortype", "ValidationException")]).await;
        server.send(br#"{"message":"model not found"}"#.to_vec());
        server.end();
        let client = Client::new(config(&server.url));
        match client.converse_stream(request()).await {
            Err(ConverseStreamError::ValidationException(e)) => {
                assert_eq!(e.message.as_deref(), Some("model not found"))
            }
            other => panic!("expected ValidationException, got {other:?}"),
        }
    }

    #[test]
    fn the_codec_and_the_independent_encoder_agree_byte_for_byte() {
        let independent = frames("converse_stream");
        let payload = br#"{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"ab"}"#;
        assert_eq!(
            event("contentBlockDelta", "application/json", payload),
            independent[1]
        );
    }
}

mod s3 {
    use super::*;
    use botogen_s3::types::{
        CsvInput, CsvOutput, ExpressionType, InputSerialization, OutputSerialization,
        SelectObjectContentEventStream, SelectObjectContentRequest,
    };
    use botogen_s3::{Client, S3Api};

    #[tokio::test]
    async fn select_object_content_streams_records_and_stats() {
        let mut server = Server::start(200, &[("x-amz-request-id", "s3-req")]).await;
        let frames = frames("select_object_content");
        server.send(frames[0].clone());
        let client = Client::new(config(&server.url).s3(botogen_runtime::client::S3Config {
            force_path_style: Some(true),
            ..Default::default()
        }));
        let input = SelectObjectContentRequest::new(
            "bucket",
            "data.csv",
            "SELECT * FROM S3Object",
            ExpressionType::Sql,
            InputSerialization {
                csv: Some(CsvInput::default()),
                ..Default::default()
            },
            OutputSerialization {
                csv: Some(CsvOutput::default()),
                ..Default::default()
            },
        );
        let mut output = within(client.select_object_content(input)).await.unwrap();
        let request = server.request.try_recv().unwrap();
        assert_eq!(request.path, "/bucket/data.csv?select&select-type=2");
        let body = String::from_utf8(request.body).unwrap();
        assert!(
            body.contains("<Expression>SELECT * FROM S3Object</Expression>"),
            "{body}"
        );

        let mut seen: Vec<SelectObjectContentEventStream> = Vec::new();
        for next in frames[1..].iter().map(Some).chain([None]) {
            seen.push(within(output.payload.recv()).await.unwrap().unwrap());
            match next {
                Some(f) => server.send(f.clone()),
                None => server.end(),
            }
        }
        assert!(within(output.payload.recv()).await.unwrap().is_none());
        let mut records = Vec::new();
        for e in &seen {
            if let Some(r) = &e.records {
                records.extend_from_slice(&r.payload.as_ref().unwrap().bytes().unwrap());
            }
        }
        assert_eq!(records, b"a,1\nb,2\nc,3\n");
        let stats = seen[2].stats.as_ref().unwrap().details.as_ref().unwrap();
        assert_eq!(
            (
                stats.bytes_scanned,
                stats.bytes_processed,
                stats.bytes_returned
            ),
            (Some(24), Some(24), Some(12))
        );
        assert!(seen[3].end.is_some());
    }

    #[tokio::test]
    async fn s3_frames_from_the_codec_decode_the_same() {
        let mut server = Server::start(200, &[]).await;
        server.send(event("Records", "application/octet-stream", b"x,y\n"));
        server.send(event(
            "Progress",
            "text/xml",
            b"<Progress><BytesScanned>7</BytesScanned></Progress>",
        ));
        server.end();
        let client = Client::new(config(&server.url).s3(botogen_runtime::client::S3Config {
            force_path_style: Some(true),
            ..Default::default()
        }));
        let input = SelectObjectContentRequest::new(
            "b",
            "k",
            "SELECT 1",
            ExpressionType::Sql,
            InputSerialization::default(),
            OutputSerialization::default(),
        );
        let mut output = client.select_object_content(input).await.unwrap();
        let first = output.payload.recv().await.unwrap().unwrap();
        assert_eq!(
            first
                .records
                .unwrap()
                .payload
                .unwrap()
                .bytes()
                .unwrap()
                .as_ref(),
            b"x,y\n"
        );
        let second = output.payload.recv().await.unwrap().unwrap();
        assert_eq!(
            second.progress.unwrap().details.unwrap().bytes_scanned,
            Some(7)
        );
        assert!(output.payload.recv().await.unwrap().is_none());
    }
}

mod lambda {
    use super::*;
    use botogen_lambda::operations::InvokeWithResponseStreamError;
    use botogen_lambda::types::InvokeWithResponseStreamRequest;
    use botogen_lambda::{Client, LambdaApi};

    #[tokio::test]
    async fn invoke_with_response_stream_reads_headers_then_chunks() {
        let mut server = Server::start(
            200,
            &[
                ("x-amz-executed-version", "7"),
                ("content-type", "application/vnd.amazon.eventstream"),
            ],
        )
        .await;
        let frames = frames("invoke_with_response_stream");
        server.send(frames[0].clone());
        let client = Client::new(config(&server.url));
        let mut output = within(
            client.invoke_with_response_stream(InvokeWithResponseStreamRequest::new("my-fn")),
        )
        .await
        .unwrap();
        assert_eq!(output.executed_version.as_deref(), Some("7"));
        assert_eq!(output.status_code, Some(200));
        let request = server.request.try_recv().unwrap();
        assert_eq!(
            request.path,
            "/2021-11-15/functions/my-fn/response-streaming-invocations"
        );

        let mut payload = Vec::new();
        let mut complete = None;
        for next in frames[1..].iter().map(Some).chain([None]) {
            let e = within(output.event_stream.recv()).await.unwrap().unwrap();
            if let Some(chunk) = e.payload_chunk {
                payload.extend_from_slice(chunk.payload.unwrap().as_ref());
            }
            if let Some(c) = e.invoke_complete {
                complete = Some(c);
            }
            match next {
                Some(f) => server.send(f.clone()),
                None => server.end(),
            }
        }
        assert_eq!(payload, br#"{"partial":"reply"}"#);
        assert_eq!(complete.unwrap().log_result.as_deref(), Some("bG9ncw=="));
        assert!(within(output.event_stream.recv()).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn an_error_message_is_unmodeled_with_its_code() {
        let mut server = Server::start(200, &[("x-amzn-requestid", "l-1")]).await;
        for f in frames("invoke_error_message") {
            server.send(f);
        }
        server.end();
        let client = Client::new(config(&server.url));
        let mut output = client
            .invoke_with_response_stream(InvokeWithResponseStreamRequest::new("f"))
            .await
            .unwrap();
        assert!(
            output
                .event_stream
                .recv()
                .await
                .unwrap()
                .unwrap()
                .payload_chunk
                .is_some()
        );
        match output.event_stream.recv().await {
            Err(InvokeWithResponseStreamError::Unmodeled(e)) => {
                assert_eq!(e.meta().code(), Some("InternalFailure"));
                assert_eq!(e.meta().message(), Some("the function crashed"));
                assert_eq!(e.meta().request_id(), Some("l-1"));
            }
            other => panic!("expected an unmodeled error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn events_are_a_futures_stream() {
        let mut server = Server::start(200, &[]).await;
        for f in frames("invoke_with_response_stream") {
            server.send(f);
        }
        server.end();
        let client = Client::new(config(&server.url));
        let mut output = client
            .invoke_with_response_stream(InvokeWithResponseStreamRequest::new("f"))
            .await
            .unwrap();
        let mut n = 0;
        while let Some(e) = std::future::poll_fn(|cx| {
            futures_core::Stream::poll_next(std::pin::Pin::new(&mut output.event_stream), cx)
        })
        .await
        {
            e.unwrap();
            n += 1;
        }
        assert_eq!(n, 3);
    }
}

mod kinesis {
    use super::*;
    use botogen_kinesis::operations::SubscribeToShardError;
    use botogen_kinesis::types::{ShardIteratorType, StartingPosition, SubscribeToShardInput};
    use botogen_kinesis::{Client, KinesisApi};

    #[tokio::test]
    async fn subscribe_to_shard_skips_the_initial_response_and_maps_exceptions() {
        let mut server = Server::start(200, &[]).await;
        let initial = Message::new(&b"{}"[..])
            .add_header(Header::new(
                ":event-type",
                HeaderValue::String("initial-response".into()),
            ))
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("event".into()),
            ));
        server.send(frame::encode(&initial).unwrap());
        server.send(event(
            "SubscribeToShardEvent",
            "application/json",
            br#"{"ContinuationSequenceNumber":"49","MillisBehindLatest":0,"Records":[{"Data":"aGk=","PartitionKey":"p","SequenceNumber":"48"}]}"#,
        ));
        let client = Client::new(config(&server.url));
        let input = SubscribeToShardInput::new(
            "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
            "shardId-000000000000",
            StartingPosition::new(ShardIteratorType::Latest),
        );
        let mut output = within(client.subscribe_to_shard(input)).await.unwrap();
        let request = server.request.try_recv().unwrap();
        assert_eq!(
            request.header("x-amz-target"),
            Some("Kinesis_20131202.SubscribeToShard")
        );
        let e = within(output.event_stream.recv()).await.unwrap().unwrap();
        let records = &e.subscribe_to_shard_event.records;
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].data.as_ref(), b"hi");
        assert_eq!(
            e.subscribe_to_shard_event.continuation_sequence_number,
            "49"
        );
        server.send(exception(
            "ResourceInUseException",
            br#"{"message":"busy"}"#,
        ));
        server.end();
        match within(output.event_stream.recv()).await {
            Err(SubscribeToShardError::ResourceInUseException(e)) => {
                assert_eq!(e.message.as_deref(), Some("busy"))
            }
            other => panic!("expected ResourceInUseException, got {other:?}"),
        }
    }
}

mod signing {
    //! The chained event signatures against `signing.json`, computed by
    //! `make_signing.py` from AWS's description of event-stream signing
    //! with Python's hmac/hashlib.
    use super::*;
    use botogen_runtime::client::Credentials;
    use botogen_runtime::event_stream::sign::EventSigner;
    use std::time::{SystemTime, UNIX_EPOCH};

    fn hex(h: &str) -> Vec<u8> {
        (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect()
    }

    fn audio_event(chunk: Vec<u8>) -> Message {
        Message::new(chunk)
            .add_header(Header::new(
                ":content-type",
                HeaderValue::String("application/octet-stream".into()),
            ))
            .add_header(Header::new(
                ":event-type",
                HeaderValue::String("AudioEvent".into()),
            ))
            .add_header(Header::new(
                ":message-type",
                HeaderValue::String("event".into()),
            ))
    }

    #[test]
    fn chained_signatures_match_the_independent_computation() {
        let case: serde_json::Value =
            serde_json::from_str(include_str!("../event_streams/signing.json")).unwrap();
        let credentials = Credentials {
            access_key_id: case["access_key"].as_str().unwrap().into(),
            secret_access_key: case["secret_key"].as_str().unwrap().into(),
            session_token: None,
            expires_at: None,
        };
        let mut signer = EventSigner::new(
            &credentials,
            case["region"].as_str().unwrap(),
            case["service"].as_str().unwrap(),
            case["seed"].as_str().unwrap(),
        );
        let steps = case["steps"].as_array().unwrap();
        let (mut passed, mut failed) = (0, 0);
        for (i, step) in steps.iter().enumerate() {
            let time: SystemTime =
                UNIX_EPOCH + Duration::from_secs(step["epoch_seconds"].as_u64().unwrap());
            let wrapper = match step["audio"].as_str() {
                Some(a) => signer.sign(&audio_event(hex(a)), time).unwrap(),
                None => signer.sign_end(time).unwrap(),
            };
            let ok = signer.previous() == step["signature"].as_str().unwrap()
                && frame::encode(&wrapper).unwrap() == hex(step["wrapper"].as_str().unwrap());
            println!("step {i}: {}", if ok { "ok" } else { "FAILED" });
            if ok {
                passed += 1;
            } else {
                failed += 1;
            }
        }
        println!("{passed} passed, {failed} failed, 0 skipped");
        assert_eq!((passed, failed), (steps.len(), 0));
    }

    #[test]
    fn a_different_seed_changes_every_signature() {
        let credentials = Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "secret".into(),
            session_token: None,
            expires_at: None,
        };
        let time = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let mut a = EventSigner::new(&credentials, "us-west-2", "transcribe", "00".repeat(32));
        let mut b = EventSigner::new(&credentials, "us-west-2", "transcribe", "11".repeat(32));
        for _ in 0..3 {
            a.sign(&audio_event(vec![1, 2, 3]), time).unwrap();
            b.sign(&audio_event(vec![1, 2, 3]), time).unwrap();
            assert_ne!(a.previous(), b.previous());
        }
    }
}
