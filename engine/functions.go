package engine

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/types"
)

// Function is a built-in function that the embedding program gives rules,
// for computations that belong in Go rather than in Rego (for example the
// sshd configuration that applies to one connection). It must be a pure
// function of its arguments: no network, no host access, no clock.
type Function struct {
	// Name is the dotted name rules call, e.g. "gcrun.sshd.effective_config".
	Name string
	// Description documents the function for rule authors.
	Description string
	// Args is the number of arguments; each is any JSON value.
	Args int
	// Impl receives the arguments as JSON values (map[string]any, []any,
	// string, json.Number, bool, nil) and returns a value that encodes to
	// JSON. An error makes the calling rule report error; the evaluator
	// prefixes its message with the function's name.
	Impl func(ctx context.Context, args []any) (any, error)
}

// WithFunctions makes functions callable from rules.
func WithFunctions(fns ...Function) Option {
	return func(e *Engine) {
		e.functions = append(e.functions, fns...)
	}
}

func (f Function) decl() *types.Function {
	args := make([]types.Type, f.Args)
	for i := range args {
		args[i] = types.A
	}
	return types.NewFunction(args, types.A)
}

// Builtin declares f to a compiler, through its capabilities (as the
// engine does; also for OPA's tester, see runner/packtest).
func (f Function) Builtin() *ast.Builtin {
	return &ast.Builtin{Name: f.Name, Description: f.Description, Decl: f.decl()}
}

// RegoOption implements f for OPA's evaluator.
func (f Function) RegoOption() func(*rego.Rego) {
	decl := &rego.Function{Name: f.Name, Description: f.Description, Decl: f.decl()}
	return rego.FunctionDyn(decl, func(bctx rego.BuiltinContext, terms []*ast.Term) (*ast.Term, error) {
		if len(terms) < f.Args {
			return nil, fmt.Errorf("want %d arguments, got %d", f.Args, len(terms))
		}
		// terms also holds the output variable after the arguments.
		args := make([]any, f.Args)
		for i, t := range terms[:f.Args] {
			v, err := ast.JSON(t.Value)
			if err != nil {
				return nil, fmt.Errorf("argument %d: %w", i+1, err)
			}
			args[i] = v
		}
		out, err := f.Impl(bctx.Context, args)
		if err != nil {
			return nil, err
		}
		v, err := ast.InterfaceToValue(out)
		if err != nil {
			return nil, fmt.Errorf("result: %w", err)
		}
		return ast.NewTerm(v), nil
	})
}
