package kpi_test

import (
	"fmt"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

// The policy matrix: every role, against regions inside and outside its
// scope and indicators of its own and other departments, for every action.
func TestAuthorizeMatrix(t *testing.T) {
	const (
		province   = 330000
		hangzhou   = 330100
		shangcheng = 330102 // in Hangzhou
		ningbo     = 330200
		haishu     = 330203 // in Ningbo
	)
	path := map[int][]int{
		province:   {province},
		hangzhou:   {province, hangzhou},
		shangcheng: {province, hangzhou, shangcheng},
		ningbo:     {province, ningbo},
		haishu:     {province, ningbo, haishu},
	}
	justiceInd := kpi.Indicator{Code: "mediators", Department: "justice"}
	courtInd := kpi.Indicator{Code: "cases", Department: "court"}
	dept := &kpi.Department{ID: 1, Region: shangcheng, Type: "justice"}
	users := map[string]*kpi.User{
		"anonymous":                 nil,
		"admin":                     {Role: kpi.RoleAdmin},
		"reviewer@hangzhou":         {Role: kpi.RoleReviewer, Region: hangzhou},
		"reviewer@all":              {Role: kpi.RoleReviewer},
		"editor@shangcheng/justice": {Role: kpi.RoleEditor, Region: shangcheng, Department: dept},
		"viewer@hangzhou":           {Role: kpi.RoleViewer, Region: hangzhou},
		"viewer@all":                {Role: kpi.RoleViewer},
	}
	// allowed lists every (user, action, region, indicator) that passes;
	// everything else in the matrix must be refused.
	allowed := map[string]bool{}
	allow := func(user string, act kpi.Action, region int, ind *kpi.Indicator) {
		allowed[fmt.Sprint(user, act, region, ind)] = true
	}
	const nation = -1 // every region of a level in the country (Resource.Nation)
	regions := []int{0, nation, province, hangzhou, shangcheng, ningbo, haishu}
	inds := []*kpi.Indicator{nil, &justiceInd, &courtInd}
	for _, r := range regions {
		for _, ind := range inds {
			for _, act := range kpi.Actions {
				allow("admin", act, r, ind)
			}
			allow("reviewer@all", kpi.ActView, r, ind)
			allow("reviewer@all", kpi.ActReview, r, ind)
			allow("reviewer@all", kpi.ActSetTargets, r, ind)
			allow("viewer@all", kpi.ActView, r, ind)
			allow("editor@shangcheng/justice", kpi.ActView, r, ind)
			if r == nation {
				continue // the whole country: national roles only
			}
			if r == 0 || r == hangzhou || r == shangcheng {
				allow("reviewer@hangzhou", kpi.ActView, r, ind)
				allow("reviewer@hangzhou", kpi.ActReview, r, ind)
				allow("reviewer@hangzhou", kpi.ActSetTargets, r, ind)
				allow("viewer@hangzhou", kpi.ActView, r, ind)
			}
			if (r == 0 || r == shangcheng) && ind != &courtInd {
				allow("editor@shangcheng/justice", kpi.ActEnter, r, ind)
			}
		}
	}
	n := 0
	for name, u := range users {
		for _, act := range kpi.Actions {
			for _, r := range regions {
				for _, ind := range inds {
					res := kpi.Resource{Path: path[r], Indicator: ind, Nation: r == nation}
					err := kpi.Authorize(u, act, res)
					want := allowed[fmt.Sprint(name, act, r, ind)]
					n++
					if (err == nil) != want {
						t.Errorf("%s %s region=%d indicator=%v: got %v, want allowed=%v", name, act, r, ind, err, want)
					}
					if err != nil {
						wantCode := kpi.EFORBIDDEN
						if u == nil {
							wantCode = kpi.EUNAUTHORIZED
						}
						if kpi.ErrorCode(err) != wantCode || kpi.ErrorMessage(err, "zh") == "" {
							t.Errorf("%s %s: error %v, want %s with a message", name, act, err, wantCode)
						}
					}
				}
			}
		}
	}
	if n != len(users)*len(kpi.Actions)*len(regions)*len(inds) {
		t.Fatalf("matrix incomplete: %d cells", n)
	}
}

func TestEditorWithoutDepartmentCannotEnter(t *testing.T) {
	u := &kpi.User{Role: kpi.RoleEditor, Region: 330102}
	if err := kpi.Authorize(u, kpi.ActEnter, kpi.Resource{}); kpi.ErrorCode(err) != kpi.EFORBIDDEN {
		t.Errorf("editor without a department: %v", err)
	}
}
