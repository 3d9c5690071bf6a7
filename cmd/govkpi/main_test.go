package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runCmd(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb syncBuffer
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageAndBadInput(t *testing.T) {
	t.Setenv("GOVKPI_DB", "")
	if code, out, _ := runCmd(t, "--help"); code != 0 || !strings.Contains(out, "serve") || !strings.Contains(out, "demo") || !strings.Contains(out, "GOVKPI_DB") {
		t.Errorf("--help: %d\n%s", code, out)
	}
	if code, _, _ := runCmd(t); code != exitUsage {
		t.Errorf("no command: exit %d, want %d", code, exitUsage)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"launch"}, "未知命令"},
		{[]string{"serve", "--port", "1"}, "port"},
		{[]string{"migrate", "extra"}, "extra"},
		{[]string{"migrate", "--db", "redis://localhost"}, "不支持的数据库地址"},
		{[]string{"migrate", "--db", "postgres://nobody@127.0.0.1:1/none"}, "无法连接数据库"},
		{[]string{"migrate", "--db", "postgres:/typo"}, "不支持的数据库地址"},
		{[]string{"migrate", "--db", "mysql://nobody@127.0.0.1:1/none"}, "无法连接数据库"},
	}
	for _, tt := range tests {
		code, _, stderr := runCmd(t, tt.args...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 mentioning %q", tt.args, code, stderr, tt.want)
		}
		if len(lines) != 1 {
			t.Errorf("%v: %d lines of error, want one:\n%s", tt.args, len(lines), stderr)
		}
	}
}

func TestDemoIsIdempotentAndServeServesIt(t *testing.T) {
	db := filepath.Join(t.TempDir(), "govkpi.db")
	t.Setenv("GOVKPI_DB", db) // read from the environment when --db is not given
	code, out, stderr := runCmd(t, "demo")
	if code != 0 || !strings.Contains(out, "演示数据") {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = runCmd(t, "demo")
	if code != 0 || !strings.Contains(out, "演示数据已存在") || strings.Contains(out, "已写入") {
		t.Fatalf("second demo: exit %d, want it to change nothing:\n%s", code, out)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, errb syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, strings.NewReader(""), &stdout, &errb)
	}()
	url := waitForURL(t, &stdout)
	resp, err := http.Get(url + "/compare")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "演示数据") {
		t.Errorf("GET /compare on the served demo: %d", resp.StatusCode)
	}
	cancel() // as SIGTERM does: shut down gracefully
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown: %s", code, errb.String())
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not shut down")
	}
}

var servingOn = regexp.MustCompile(`serving on (http://\S+)`)

func waitForURL(t *testing.T, out *syncBuffer) string {
	t.Helper()
	for i := 0; i < 100; i++ {
		if m := servingOn.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("serve never printed its URL:\n%s", out.String())
	return ""
}
