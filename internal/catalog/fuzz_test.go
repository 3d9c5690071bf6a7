package catalog_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
)

// FuzzParseRegions: a division list, however broken, is read without a
// panic into regions that pass kpi.ValidateRegions, or refused with an
// invalid-input *kpi.Error.
func FuzzParseRegions(f *testing.F) {
	for _, seed := range []string{
		"code,name,level,parent\n330000,浙江省,1,\n330100,杭州市,2,330000\n330102,上城区,3,330100\n",
		"code,name,level,parent\n330100,杭州市,2,330000\n",
		"code,name,level,parent\n330000,\"a,\"\"b\",1,\n",
		"code,name,level,parent\n330000,x,1\n",
		"code,name,level,parent\n-1,x,9,0\n",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data string) {
		rs, err := catalog.ParseRegions(strings.NewReader(data))
		if err != nil {
			var ke *kpi.Error
			if !errors.As(err, &ke) || ke.Code != kpi.EINVALID {
				t.Fatalf("error %#v, want an invalid-input *kpi.Error", err)
			}
			return
		}
		if err := kpi.ValidateRegions(rs); err != nil {
			t.Fatalf("accepted regions that do not validate: %v", err)
		}
	})
}
