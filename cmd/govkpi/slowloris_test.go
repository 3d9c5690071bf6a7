package main

import (
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// A slow-loris client sends its headers a few bytes at a time to hold a
// connection open for ever. The server serve() builds cuts it off once
// ReadHeaderTimeout has passed, however busy the client keeps the line,
// while a client that finishes its headers in time is answered.
func TestSlowHeadersAreCutOff(t *testing.T) {
	if got := newHTTPServer(config{readHeaderTimeout: 10 * time.Second}, nil).ReadHeaderTimeout; got != 10*time.Second {
		t.Fatalf("ReadHeaderTimeout = %v", got)
	}
	const timeout = 300 * time.Millisecond
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	srv := newHTTPServer(config{readHeaderTimeout: timeout}, h)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	// A prompt client is served.
	resp, err := http.Get("http://" + ln.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("prompt client: %d", resp.StatusCode)
	}

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	// Trickle a header line every 50 ms for up to 5 s, watching for the
	// server to hang up.
	closed := make(chan time.Duration, 1)
	go func() {
		buf := make([]byte, 512)
		for {
			if _, err := conn.Read(buf); err != nil {
				closed <- time.Since(start)
				return
			}
		}
	}()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case after := <-closed:
			if after < timeout {
				t.Fatalf("closed after %v, before the %v timeout", after, timeout)
			}
			t.Logf("slow client cut off after %v (timeout %v)", after.Round(time.Millisecond), timeout)
			return
		case <-tick.C:
			if _, err := io.WriteString(conn, "X-Slow: 1\r\n"); err != nil {
				var ne net.Error
				if errors.As(err, &ne) || errors.Is(err, io.ErrClosedPipe) || time.Since(start) >= timeout {
					t.Logf("slow client's write failed after %v: %v", time.Since(start).Round(time.Millisecond), err)
					return
				}
				t.Fatalf("write failed before the timeout: %v", err)
			}
		case <-deadline:
			t.Fatal("the server kept a trickling client's connection open for 5 s")
		}
	}
}
