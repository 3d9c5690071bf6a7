package export_test
import ("testing";"time";"io";"github.com/govkpi/govkpi/internal/export")
func TestColsTime(t *testing.T){
	for _, n := range []int{200, 1000, 2000} {
	h := make([]string, n)
	for i := range h { h[i] = string(make([]byte, i%43)) }
	for i := range h { b := []byte{}; for j:=0;j<i%43;j++ { b = append(b,'x') }; h[i]=string(b) }
	start := time.Now()
	if err := export.WriteXLSX(io.Discard, export.Workbook{Tables: []export.Table{{Headers: h}}}); err != nil { t.Fatal(err) }
	t.Logf("%d columns: %v", n, time.Since(start))
	}
}
