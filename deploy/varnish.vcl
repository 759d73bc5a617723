# A front cache for the site (Debian's varnish 7). It keeps what the site marks
# `public` (anonymous readers' pages, see site_config/caching.py) for as long as
# the site says (s-maxage), and drops a page when the site sends PURGE after an
# editor publishes (site_config/purge.py; FRONTEND_CACHE_URL=http://127.0.0.1:6081).
#
#   varnishd -a :6081 -f /etc/varnish/institute.vcl -s malloc,256m
#
# Put it behind the TLS terminator (nginx, deploy/nginx.conf) and in front of
# gunicorn.
vcl 4.1;

backend site {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the web and worker machines (loopback here).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        # Only straight from a purger. Varnish appends the client's address to
        # X-Forwarded-For; a request relayed by nginx already carried one, so
        # nginx's own (loopback) address never lets a reader purge.
        if (!(client.ip ~ purgers) || req.http.X-Forwarded-For ~ ",") {
            return (synth(405, "Not allowed"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|django-admin|documents|media|anymail)/" || req.url ~ "^/healthz") {
        return (pass);
    }
    # A signed-in person (session) or a form in progress: straight to the site.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    # Other cookies (analytics set by a browser extension...) change nothing.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_backend_response {
    # Never keep what sets a cookie or is not marked public.
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # Serve a stale copy for a while if the site is down or slow.
    set beresp.grace = 1h;
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
