vcl 4.1;

# The shared cache in front of the site: Varnish 7 with the xkey module (Debian: the varnish and
# varnish-modules packages). `npm run edge` runs it: it writes a copy of this file with the lines
# marked "npm run edge" set from EDGE_ORIGIN, CACHE_PURGE_SECRET, EDGE_GRACE_SECONDS and
# EDGE_PURGE_FROM, and varnishd loads that copy. To deploy it by other means, set those lines
# yourself: the secret below is not a working one, and purges are refused until it is replaced.
# Run varnishd with `-p http_gzip_support=off`: the site compresses (br and gzip) itself, and
# Varnish must pass the encoding through rather than ask for gzip and decompress.
#
# - Pages the site marks as shared (Cache-Control: public) are kept, keyed by path and query and
#   by a normalised Accept-Encoding (br, gzip or none), and dropped by xkey soft purges of the
#   Surrogate-Key names the site gives them (src/edge/purge-keys.ts names them).
# - Requests for cacheable pages lose their cookies. /admin, /subscribe, /preview, POST and any
#   other method, and answers that set a cookie or are private, no-store or no-cache, or come
#   without Cache-Control, are never kept.
# - Stale pages are served for EDGE_GRACE_SECONDS while the origin is down (its /healthz probe
#   failing), or while a fresh copy is fetched in the background.
# - PURGE is accepted only from the addresses in the purgers ACL, with the shared secret.

import std;
import xkey;

backend origin {
    .host = "127.0.0.1";                  # npm run edge: EDGE_ORIGIN's host
    .port = "3000";                       # npm run edge: EDGE_ORIGIN's port
    .connect_timeout = 1s;
    .first_byte_timeout = 15s;
    .between_bytes_timeout = 10s;
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

acl purgers {
    "127.0.0.1";                          # npm run edge: EDGE_ORIGIN's host and EDGE_PURGE_FROM
}

sub vcl_recv {
    set req.backend_hint = origin;
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purge refused: not from an allowed address"));
        }
        if (req.http.X-Purge-Secret != "not-a-working-secret: set by npm run edge") {   # npm run edge: CACHE_PURGE_SECRET
            return (synth(403, "Purge refused: wrong or missing secret"));
        }
        if (!req.http.xkey-softpurge) {
            return (synth(400, "Purge refused: name the keys in xkey-softpurge"));
        }
        set req.http.X-Purged = xkey.softpurge(req.http.xkey-softpurge);
        return (synth(200, "Soft-purged " + req.http.X-Purged + " objects"));
    }

    # Every request gets this node's id, which the site (with TRUST_PROXY set to this node's
    # address) logs as its own: a reader's X-Request-Id then finds the request in varnishlog and,
    # for a miss or a pass, in the site's log. A client's own is never believed.
    set req.http.X-Request-Id = "varnish-" + req.xid;

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Per-reader pages: the sign-up flow (its form nonce cookie), the newsroom, preview links.
    if (req.url ~ "^/(admin|subscribe|preview)([/?]|$)") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Shared pages are the same for every reader: a cookie must neither split the cache nor reach
    # the origin from a cached page's request.
    unset req.http.Cookie;

    # One copy per encoding the site sends (br, gzip, none), whatever list the browser sent. The
    # origin sees the same single value, and its Vary: Accept-Encoding then matches it.
    if (req.http.Accept-Encoding ~ "(?i)\bbr\b") {
        set req.http.Accept-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)\bgzip\b") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }

    # With the origin healthy, a stale page is served only while its new copy is fetched; with
    # the origin down, for the whole grace time set on each page below.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.Accept-Encoding) {
        hash_data(req.http.Accept-Encoding);
    }
    # A TLS terminator in front says which scheme the reader used (HTTPS pages carry HSTS).
    if (req.http.X-Forwarded-Proto) {
        hash_data(req.http.X-Forwarded-Proto);
    }
    return (lookup);
}

sub vcl_backend_response {
    # xkey indexes objects by the keys in this header.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (bereq.uncacheable) {
        return (deliver);
    }
    # An origin error during a background refresh keeps the stale page instead.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    if (beresp.status >= 500
        || beresp.http.Set-Cookie
        || !beresp.http.Cache-Control
        || beresp.http.Cache-Control ~ "(?i)\b(private|no-store|no-cache)\b"
        || beresp.http.Vary == "*") {
        # Remember for a while that this address is not cached, so requests do not queue for it.
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    set beresp.grace = 21600s;            # npm run edge: EDGE_GRACE_SECONDS
    return (deliver);
}

sub vcl_backend_error {
    # The origin cannot be reached and nothing usable is cached: the site's own 503 page.
    set beresp.http.Content-Type = "text/html; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    set beresp.http.Retry-After = "30";
    synthetic(std.fileread("/etc/varnish/edge-error-page.html"));   # npm run edge: the page it fetched
    return (deliver);
}

sub vcl_deliver {
    # The keys are for this cache, not for readers (as Fastly does with them).
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    # A cached page carries the id of the request that fetched it: each reader gets their own.
    set resp.http.X-Request-Id = req.http.X-Request-Id;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
