// Command loadgen drives a running govkpi with chart-data requests from many
// clients, and editors saving figures at the same time, for a bounded time on
// loopback, and prints throughput, latency percentiles and errors.
//
//	loadgen -url http://127.0.0.1:8080 -clients 32 -editors 2 -duration 20s -pid 1234
//
// It logs in as the demo's admin (reads) and editor (writes); -pid samples
// the server's resident memory while it runs.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// reads are the chart-data requests the clients cycle through.
var reads = []string{
	"/api/v1/comparison?indicator=prelit_diversion_rate&year=2025&parent=330000",
	"/api/v1/comparison?indicator=fulltime_mediators&year=2025&parent=330100",
	"/api/v1/comparison?indicator=startup_days&year=2024&level=3&within=330000",
	"/api/v1/series?indicator=prelit_diverted&region=330000&region=330100&region=330200&region=330300&region=330400&from=2016&to=2025",
	"/api/v1/series?indicator=mediation_success_rate&region=330100&from=2016&to=2025&by=quarter",
	"/api/v1/comparison?indicator=civil_new_cases&year=2025&quarter=2&parent=330000",
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server")
	clients := flag.Int("clients", 32, "concurrent readers")
	editors := flag.Int("editors", 2, "concurrent editors saving figures")
	duration := flag.Duration("duration", 20*time.Second, "how long")
	pid := flag.Int("pid", 0, "server process to sample resident memory of")
	flag.Parse()
	if !strings.HasPrefix(*base, "http://127.") && !strings.HasPrefix(*base, "http://localhost") {
		fmt.Fprintln(os.Stderr, "loadgen: loopback only")
		os.Exit(2)
	}
	reader, err := login(*base, "admin", "demo-admin")
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	deadline := time.Now().Add(*duration)
	var mu sync.Mutex
	var latencies []time.Duration
	var errors, writes, conflicts, writeErrors atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var mine []time.Duration
			for n := i; time.Now().Before(deadline); n++ {
				start := time.Now()
				resp, err := reader.Get(*base + reads[n%len(reads)])
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				if err != nil || resp.StatusCode != 200 {
					errors.Add(1)
					continue
				}
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}(i)
	}
	for i := 0; i < *editors; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			edit(*base, deadline, &writes, &conflicts, &writeErrors)
		}(i)
	}
	maxRSS := int64(0)
	stop := make(chan struct{})
	if *pid != 0 {
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(200 * time.Millisecond):
					if kb := rssKB(*pid); kb > atomic.LoadInt64(&maxRSS) {
						atomic.StoreInt64(&maxRSS, kb)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	secs := duration.Seconds()
	fmt.Printf("clients %d, editors %d, %.0f s\n", *clients, *editors, secs)
	fmt.Printf("chart-data requests: %d ok, %d errors, %.0f/s\n", len(latencies), errors.Load(), float64(len(latencies))/secs)
	fmt.Printf("latency p50 %v  p95 %v  p99 %v\n", pct(0.50).Round(time.Microsecond*100), pct(0.95).Round(time.Microsecond*100), pct(0.99).Round(time.Microsecond*100))
	fmt.Printf("editor saves: %d ok, %d refused as stale (version check), %d errors\n", writes.Load(), conflicts.Load(), writeErrors.Load())
	if *pid != 0 {
		fmt.Printf("server RSS max %.0f MB\n", float64(atomic.LoadInt64(&maxRSS))/1024)
	}
	if errors.Load()+writeErrors.Load() > 0 {
		os.Exit(1)
	}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// login signs in through the login form and returns a client with the session.
func login(base, name, password string) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport:     &http.Transport{MaxIdleConnsPerHost: 64}}
	token, err := csrf(c, base+"/login")
	if err != nil {
		return nil, err
	}
	resp, err := c.PostForm(base+"/login", url.Values{"_csrf": {token}, "name": {name}, "password": {password}})
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("login as %s: %d", name, resp.StatusCode)
	}
	return c, nil
}

func csrf(c *http.Client, page string) (string, error) {
	token, _, err := formOf(c, page)
	return token, err
}

var lawEventsVersion = regexp.MustCompile(`name="ver.law_events" value="(\d+)"`)

// formOf fetches a page and returns its CSRF token and the version of the
// law_events cell (0 when the page has none).
func formOf(c *http.Client, page string) (string, string, error) {
	resp, err := c.Get(page)
	if err != nil {
		return "", "", err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return "", "", fmt.Errorf("no CSRF token on %s", page)
	}
	version := "0"
	if v := lawEventsVersion.FindSubmatch(b); v != nil {
		version = string(v[1])
	}
	return string(m[1]), version, nil
}

// edit saves the demo editor's draft over and over, as a department would
// while leaders read: each save must succeed (a version conflict between
// the two editors is answered 409 and counted as neither).
func edit(base string, deadline time.Time, writes, conflicts, writeErrors *atomic.Int64) {
	c, err := login(base, "editor", "demo-editor")
	if err != nil {
		writeErrors.Add(1)
		return
	}
	for n := 0; time.Now().Before(deadline); n++ {
		token, version, err := formOf(c, base+"/entry?year=2026&quarter=4")
		if err != nil {
			writeErrors.Add(1)
			continue
		}
		form := url.Values{"_csrf": {token}, "year": {"2026"}, "quarter": {"4"}, "action": {"save"},
			"v.law_events": {strconv.Itoa(200 + n%50)}, "ver.law_events": {version}}
		resp, err := c.PostForm(base+"/entry", form)
		if err != nil {
			writeErrors.Add(1)
			continue
		}
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusSeeOther:
			writes.Add(1)
		case http.StatusConflict:
			conflicts.Add(1) // the other editor saved first: refused, as it should be
		default:
			writeErrors.Add(1)
		}
	}
}

// rssKB reads a process's resident memory from /proc.
func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb
		}
	}
	return 0
}
