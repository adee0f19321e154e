module github.com/usersig/usersig/contrib/chitest

go 1.26.0

require (
	github.com/go-chi/chi/v5 v5.2.3
	github.com/usersig/usersig v0.1.0
)

require (
	github.com/stretchr/testify v1.12.1 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
