package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// accountFlags are the flags of `govkpi user add` and `govkpi user token`.
type accountFlags struct {
	name, role, region, department, display, label string
}

func (a *accountFlags) register(fs *flag.FlagSet, cmd string) {
	fs.StringVar(&a.name, "name", "", "login name")
	if cmd == "user token" {
		fs.StringVar(&a.label, "label", "api", "what the token is for")
		return
	}
	fs.StringVar(&a.role, "role", "", "admin, reviewer, editor or viewer")
	fs.StringVar(&a.region, "region", "", "six-digit region code of the scope (reviewers, viewers)")
	fs.StringVar(&a.department, "department", "", "editors: REGION:TYPE, e.g. 330102:justice (types: court, justice, approval, office, market, stats)")
	fs.StringVar(&a.display, "display", "", "display name")
}

// addUser creates an account. The password comes from a prompt without
// echo, or from the first line of standard input when that is not a
// terminal — never from a flag, which would land in the shell history.
func addUser(ctx context.Context, st *store.Store, a accountFlags, stdin io.Reader, stdout io.Writer) error {
	role, err := kpi.ParseRole(a.role)
	if err != nil {
		return err
	}
	nu := store.NewUser{Name: a.name, DisplayName: a.display, Role: role}
	if a.region != "" {
		if nu.Region, err = strconv.Atoi(a.region); err != nil {
			return kpi.Invalid("region", "地区代码 %q 不是数字", "region code %q is not a number", a.region)
		}
	}
	if a.department != "" {
		regionText, typ, ok := strings.Cut(a.department, ":")
		region, err := strconv.Atoi(regionText)
		if !ok || err != nil || kpi.DepartmentTypeName(typ, "en") == typ {
			return kpi.Invalid("department", "部门应写作 地区代码:类型，例如 330102:justice", "write the department as REGION:TYPE, e.g. 330102:justice")
		}
		d, err := st.EnsureDepartment(ctx, region, typ, "")
		if err != nil {
			return err
		}
		nu.Department = d.ID
	}
	if nu.Password, err = readPassword(stdin, stdout); err != nil {
		return err
	}
	u, err := st.CreateUser(ctx, "cli", nu)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已创建账号 / created: %s (%s)\n", u.Name, u.Role)
	return nil
}

func readPassword(stdin io.Reader, stdout io.Writer) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(stdout, "密码 / password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", kpi.Internal(err)
		}
		fmt.Fprint(stdout, "再输入一次 / again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", kpi.Internal(err)
		}
		if string(first) != string(second) {
			return "", kpi.Invalid("password", "两次输入的密码不一致", "the passwords do not match")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", kpi.Internal(err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func issueToken(ctx context.Context, st *store.Store, a accountFlags, stdout io.Writer) error {
	u, err := st.UserByName(ctx, a.name)
	if err != nil {
		return kpi.Invalid("name", "账号 %q 不存在", "no account %q", a.name)
	}
	token, err := st.CreateAPIToken(ctx, u.ID, a.label)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\n", token)
	return nil
}
