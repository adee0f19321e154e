module github.com/usersig/usersig/contrib/chitest

go 1.24

require (
	github.com/go-chi/chi/v5 v5.2.3
	github.com/usersig/usersig v0.0.0
)

require (
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

// For development in this repository; a released module drops it.
replace github.com/usersig/usersig => ../..
