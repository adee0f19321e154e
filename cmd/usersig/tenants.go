package main

import (
	"context"

	"github.com/usersig/usersig/internal/tenantcli"
)

// runTenants is `usersig tenants`: the tenant store's console, whose engine
// is internal/tenantcli.
func runTenants(e *env, args []string) int {
	return tenantcli.Run(context.Background(), args, tenantcli.Env{Stdout: e.stdout, Stderr: e.stderr, Getenv: e.getenv, Now: e.now})
}
