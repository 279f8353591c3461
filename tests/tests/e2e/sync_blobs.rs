//! Sync fault injection, photos: chunked uploads resumed from the server's `Upload-Offset`, blobs
//! that do not match their name or are too large (nothing kept), and `photo.attach` refused for a
//! missing blob, a non-image or a decompression bomb, and accepted for a real photo. Blobs are
//! stored once per content but told only to the agencies holding them.

use serde_json::{json, Value};
use shared::sync::MutationStatus;
use tests::sim::{invariants, noise_jpeg, put_blob, sha256_hex, visits_on, SimDevice};
use tests::{demo_date, on_both_databases, TestServer};
use uuid::Uuid;

struct Put {
    status: u16,
    offset: Option<u64>,
    body: Value,
}

async fn put_part(
    server: &TestServer,
    token: &str,
    name: &str,
    bytes: &[u8],
    range: Option<String>,
) -> Put {
    let mut request = server
        .client
        .put(server.url(&format!("/api/v1/blobs/{name}")))
        .bearer_auth(token)
        .body(bytes.to_vec());
    if let Some(range) = range {
        request = request.header("content-range", range);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let offset = response
        .headers()
        .get("upload-offset")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let body = response.json().await.unwrap_or(Value::Null);
    Put {
        status,
        offset,
        body,
    }
}

async fn head(server: &TestServer, token: &str, name: &str) -> (u16, Option<u64>) {
    let response = server
        .client
        .head(server.url(&format!("/api/v1/blobs/{name}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let offset = response
        .headers()
        .get("upload-offset")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (response.status().as_u16(), offset)
}

/// Nothing of the blob on disk (finished or partial) nor in the blob table.
async fn nothing_kept(server: &TestServer, name: &str) {
    let root = server.state.config.data_dir.join("blobs");
    // Partial uploads are named `<agency>.<sha>.part`.
    let partials: Vec<_> = std::fs::read_dir(root.join("partial"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with(&format!("{name}.part"))
        })
        .collect();
    assert!(partials.is_empty(), "partial upload kept: {partials:?}");
    assert!(!root.join(&name[..2]).join(name).exists(), "blob kept");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM blobs WHERE sha256 = $1")
        .bind(name)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 0);
}

/// inspecteur1's token, a device of theirs and one of their visits.
async fn setup(backend: tests::Backend) -> (TestServer, String, SimDevice, String) {
    let server = TestServer::with_demo(backend).await;
    let token = server.login("inspecteur1").await;
    let visit = visits_on(&server.client, &server.base, &token, demo_date()).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let device = SimDevice::new(&server.base, server.client.clone(), &token);
    (server, token, device, visit)
}

fn attach(device: &mut SimDevice, visit: &str, sha: &str) -> Uuid {
    let id = Uuid::new_v4();
    device.queue("photo.attach", id, None, json!({"visit_id": visit, "finding_id": null, "sha256": sha,
        "captured_at": "2026-11-30T10:15:00+01:00", "position": {"lat": 51.93, "lon": 6.58, "accuracy_m": 8.0}}));
    id
}

async fn attach_outcome(
    device: &mut SimDevice,
    visit: &str,
    sha: &str,
) -> (MutationStatus, Option<String>) {
    attach(device, visit, sha);
    let results = device.flush(10).await;
    assert_eq!(results.len(), 1);
    (
        results[0].status,
        results[0].error.as_ref().map(|e| e.code.clone()),
    )
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb([200, 120, 40]))
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// CRC-32 (IEEE) of a PNG chunk's type and data.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A valid PNG whose header announces 60,000 x 60,000 pixels (with a correct checksum, so only
/// the decoder's limits stand between it and 10 GB of pixels).
fn png_bomb() -> Vec<u8> {
    let mut bomb = png(1, 1);
    bomb[16..20].copy_from_slice(&60_000u32.to_be_bytes());
    bomb[20..24].copy_from_slice(&60_000u32.to_be_bytes());
    let crc = crc32(&bomb[12..29]);
    bomb[29..33].copy_from_slice(&crc.to_be_bytes());
    bomb
}

on_both_databases! {
    async fn a_photo_uploaded_in_parts_resumes_from_the_servers_offset_and_is_attached(backend: Backend) {
        let (server, token, mut device, visit) = setup(backend).await;
        let jpeg = noise_jpeg(7, 96, 90);
        let sha = sha256_hex(&jpeg);
        let total = jpeg.len();
        let range = |a: usize, b: usize| Some(format!("bytes {a}-{}/{total}", b - 1));

        let first = put_part(&server, &token, &sha, &jpeg[..1000], range(0, 1000)).await;
        assert_eq!((first.status, first.offset), (202, Some(1000)));
        // The second part is lost; the third arrives and is refused with the offset to resume from.
        let third = put_part(&server, &token, &sha, &jpeg[2000..], range(2000, total)).await;
        assert_eq!((third.status, third.offset), (409, Some(1000)));
        assert_eq!(third.body["error"]["code"], "blob.offset_mismatch");
        // After a restart of the app: ask the server, resume from there.
        let (status, offset) = head(&server, &token, &sha).await;
        assert_eq!((status, offset), (404, Some(1000)));
        let resumed = offset.unwrap() as usize;
        let rest = put_part(&server, &token, &sha, &jpeg[resumed..], range(resumed, total)).await;
        assert_eq!((rest.status, rest.offset), (201, Some(total as u64)));
        assert_eq!(head(&server, &token, &sha).await, (200, Some(total as u64)));
        let stored = std::fs::read(server.state.config.data_dir.join("blobs").join(&sha[..2]).join(&sha)).unwrap();
        assert_eq!(stored, jpeg);

        // A PNG in one piece as well.
        let picture = png(40, 30);
        let png_sha = sha256_hex(&picture);
        assert_eq!(put_blob(&server.client, &server.base, &token, &picture).await, 201);

        assert_eq!(attach_outcome(&mut device, &visit, &sha).await, (MutationStatus::Applied, None));
        assert_eq!(attach_outcome(&mut device, &visit, &png_sha).await, (MutationStatus::Applied, None));
        let (status, detail) = tests::sim::get_json(&server.client, &server.base, &token, &format!("/api/v1/visits/{visit}")).await;
        assert_eq!(status, 200);
        let photos = detail["photos"].as_array().unwrap();
        let shown: Vec<(&str, &str, i64, i64, i64)> = photos.iter().map(|p| (
            p["sha256"].as_str().unwrap(), p["content_type"].as_str().unwrap(),
            p["width"].as_i64().unwrap(), p["height"].as_i64().unwrap(), p["size_bytes"].as_i64().unwrap(),
        )).collect();
        assert!(shown.contains(&(sha.as_str(), "image/jpeg", 96, 96, total as i64)), "{shown:?}");
        assert!(shown.contains(&(png_sha.as_str(), "image/png", 40, 30, picture.len() as i64)), "{shown:?}");
        assert_eq!(photos[0]["position"]["lat"], 51.93);
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_blob_that_does_not_match_its_name_is_refused_and_nothing_is_kept(backend: Backend) {
        let (server, token, mut device, visit) = setup(backend).await;
        let real = png(8, 8);
        let claimed = sha256_hex(b"a different photo");
        let half = real.len() / 2;
        let part = put_part(&server, &token, &claimed, &real[..half], Some(format!("bytes 0-{}/{}", half - 1, real.len()))).await;
        assert_eq!(part.status, 202);
        let rest = put_part(&server, &token, &claimed, &real[half..], Some(format!("bytes {half}-{}/{}", real.len() - 1, real.len()))).await;
        assert_eq!(rest.status, 422);
        assert_eq!(rest.body["error"]["code"], "blob.hash_mismatch");
        assert_eq!(head(&server, &token, &claimed).await, (404, Some(0)));
        nothing_kept(&server, &claimed).await;
        assert_eq!(attach_outcome(&mut device, &visit, &claimed).await,
            (MutationStatus::Rejected, Some("photo.blob_missing".to_owned())));
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_blob_over_the_size_limit_is_refused_with_413_and_nothing_is_kept(backend: Backend) {
        let (server, token, _device, _visit) = setup(backend).await;
        let max = server.state.config.blob_max_bytes as usize;
        // Announced in the first part's range: refused before anything is stored.
        let name = sha256_hex(b"announced too large");
        let part = put_part(&server, &token, &name, &[1u8; 10], Some(format!("bytes 0-9/{}", max + 1))).await;
        assert_eq!((part.status, part.body["error"]["code"].as_str()), (413, Some("request.too_large")));
        nothing_kept(&server, &name).await;
        // A started upload whose later part announces more than the limit: the stored part goes too.
        let name = sha256_hex(b"grows too large");
        let part = put_part(&server, &token, &name, &[1u8; 10], Some("bytes 0-9/20".to_owned())).await;
        assert_eq!(part.status, 202);
        let part = put_part(&server, &token, &name, &[1u8; 10], Some(format!("bytes 10-19/{}", max + 1))).await;
        assert_eq!(part.status, 413);
        nothing_kept(&server, &name).await;
        // In one piece.
        let big = vec![0u8; max + 1];
        let name = sha256_hex(&big);
        let whole = put_part(&server, &token, &name, &big, None).await;
        assert_eq!(whole.status, 413);
        nothing_kept(&server, &name).await;
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_photo_attached_before_its_blob_is_uploaded_is_rejected_blob_missing(backend: Backend) {
        let (server, token, mut device, visit) = setup(backend).await;
        let jpeg = noise_jpeg(11, 32, 80);
        let sha = sha256_hex(&jpeg);
        assert_eq!(attach_outcome(&mut device, &visit, &sha).await,
            (MutationStatus::Rejected, Some("photo.blob_missing".to_owned())));
        assert_eq!(put_blob(&server.client, &server.base, &token, &jpeg).await, 201);
        assert_eq!(attach_outcome(&mut device, &visit, &sha).await, (MutationStatus::Applied, None));
        let photos: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM photos WHERE sha256 = $1")
            .bind(&sha).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(photos, 1);
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_non_image_or_a_decompression_bomb_is_rejected_as_an_invalid_image(backend: Backend) {
        let (server, token, mut device, visit) = setup(backend).await;
        for (what, bytes) in [("text", b"Dit is geen foto maar een notitie.".to_vec()), ("bomb", png_bomb())] {
            assert_eq!(put_blob(&server.client, &server.base, &token, &bytes).await, 201, "{what} is stored as a blob");
            assert_eq!(attach_outcome(&mut device, &visit, &sha256_hex(&bytes)).await,
                (MutationStatus::Rejected, Some("photo.invalid_image".to_owned())), "{what}");
        }
        let photos: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM photos WHERE visit_id = $1")
            .bind(&visit).fetch_one(&server.state.db.pool).await.unwrap();
        assert_eq!(photos, 0);
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }

    async fn a_blob_is_told_only_to_agencies_holding_it_and_uploads_of_two_tenants_do_not_mix(backend: Backend) {
        let (server, token, mut device, visit) = setup(backend).await;
        let foreign = tests::fixtures::foreign_tenant(&server, "ZZANDERS", demo_date(), 2027, "garage-basis").await;
        let foreign_token = server.login(&foreign.inspector_username).await;
        let mut foreign_device = SimDevice::new(&server.base, server.client.clone(), &foreign_token);

        // Our photo, stored whole.
        let photo = noise_jpeg(96, 96, 11);
        let sha = sha256_hex(&photo);
        assert_eq!(put_blob(&server.client, &server.base, &token, &photo).await, 201);
        assert_eq!(head(&server, &token, &sha).await.0, 200);
        // The other agency learns nothing of it, and cannot attach it to its own visit ...
        assert_eq!(head(&server, &foreign_token, &sha).await, (404, Some(0)));
        assert_eq!(attach_outcome(&mut foreign_device, &foreign.visit_id, &sha).await,
            (MutationStatus::Rejected, Some("photo.blob_missing".into())));
        // ... until it sends the bytes itself: a first part is just a part, not a shortcut.
        let half = photo.len() / 2;
        let total = photo.len();
        let first = put_part(&server, &foreign_token, &sha, &photo[..half],
            Some(format!("bytes 0-{}/{total}", half - 1))).await;
        assert_eq!((first.status, first.offset), (202, Some(half as u64)));
        let rest = put_part(&server, &foreign_token, &sha, &photo[half..],
            Some(format!("bytes {half}-{}/{total}", total - 1))).await;
        assert_eq!(rest.status, 201, "{}", rest.body);
        assert_eq!(attach_outcome(&mut foreign_device, &foreign.visit_id, &sha).await,
            (MutationStatus::Applied, None));
        assert_eq!(attach_outcome(&mut device, &visit, &sha).await, (MutationStatus::Applied, None));

        // Two unfinished uploads of the same content: neither sees nor moves the other's offset.
        let other = noise_jpeg(64, 64, 12);
        let other_sha = sha256_hex(&other);
        let total = other.len();
        let ours = put_part(&server, &token, &other_sha, &other[..100], Some(format!("bytes 0-99/{total}"))).await;
        assert_eq!((ours.status, ours.offset), (202, Some(100)));
        assert_eq!(head(&server, &foreign_token, &other_sha).await, (404, Some(0)));
        let theirs = put_part(&server, &foreign_token, &other_sha, &other[100..],
            Some(format!("bytes 100-{}/{total}", total - 1))).await;
        assert_eq!((theirs.status, theirs.offset), (409, Some(0)), "{}", theirs.body);
        assert_eq!(head(&server, &token, &other_sha).await, (404, Some(100)));
        let done = put_part(&server, &token, &other_sha, &other[100..],
            Some(format!("bytes 100-{}/{total}", total - 1))).await;
        assert_eq!(done.status, 201);
        assert_eq!(head(&server, &foreign_token, &other_sha).await.0, 404);
        invariants::audit_chain_intact(&server.state.db.pool).await;
    }
}
