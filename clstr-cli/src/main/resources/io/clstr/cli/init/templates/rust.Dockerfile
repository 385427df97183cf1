# Builds your Rust server (a Cargo package named `server`) and runs it; clstr starts one
# container per node. Your server listens on the port of $ADDR (8080 in containers).
FROM rust:1.79 AS build
WORKDIR /src
COPY . .
RUN cargo build --release

FROM debian:bookworm-slim
COPY --from=build /src/target/release/server /server
EXPOSE 8080
CMD ["/server"]
