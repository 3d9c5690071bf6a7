package web

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestJSONSerializerMatchesStd: the fast serializer writes byte for byte
// what encoding/json writes, for every shape the API answers with —
// embedded structs, nil pointers and slices, omitempty, maps, HTML and
// control characters, Chinese, and floats at both ends of their range.
func TestJSONSerializerMatchesStd(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tricky := "上城区 <script>alert('x')</script> & \u2028\u2029 \"q\" \\ \t\x01"
	row := apiComparisonRow{Rank: 1, apiPoint: apiPoint{
		Region: apiRegion{Code: "330102", Name: tricky, Level: 3, Parent: "330100", Leaf: true},
		Period: apiPeriod{Year: 2025, Quarter: 0, Label: "2025年"},
		Value:  f(1234567.891), Origin: "computed", Reported: nil, Computed: f(1e-7), QuartersReported: 4,
	}, Previous: f(1e21), Change: &apiChange{Value: -0.5}, Target: f(0), Progress: f(math.MaxFloat64), Status: "green"}
	values := []any{
		apiComparison{Indicator: apiIndicator{Code: "cases", Name: tricky, Min: 0, Max: 100, Decimals: 2}, Period: row.Period,
			Average: f(12.345678901234567), Median: nil, Rows: []apiComparisonRow{row, {}}},
		apiComparison{Rows: []apiComparisonRow{}},
		apiSeries{Region: row.Region, Points: []apiPoint{row.apiPoint}, Targets: nil},
		[]apiScoreRow{{Indicator: "cases", Name: tricky, Value: f(3), Score: f(99.5)}},
		map[string]any{"regions": []apiRegion{row.Region}, "year": 2025, "none": nil, "f": 0.1 + 0.2},
		map[string]string{"status": "ok"},
		apiError{},
	}
	for i, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		c := echo.New().NewContext(httptest.NewRequest("GET", "/", nil), rec)
		if err := (jsonSerializer{}).Serialize(c, v, ""); err != nil {
			t.Fatal(err)
		}
		if got := bytes.TrimSuffix(rec.Body.Bytes(), []byte("\n")); !bytes.Equal(got, want) {
			t.Errorf("value %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
