# Builds your Go server and runs it; clstr starts one container per node.
# Your server listens on the port of $ADDR (8080 in containers).
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /server .

FROM debian:bookworm-slim
COPY --from=build /server /server
EXPOSE 8080
CMD ["/server"]
