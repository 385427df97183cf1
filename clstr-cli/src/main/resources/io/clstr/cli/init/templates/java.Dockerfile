# Compiles your Java server (sources under src/, main class Server) and runs it; clstr starts
# one container per node. Your server listens on the port of $ADDR (8080 in containers).
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN javac -d /out $(find src -name '*.java')

FROM eclipse-temurin:17-jre
COPY --from=build /out /app
EXPOSE 8080
CMD ["java", "-XX:+UseSerialGC", "-cp", "/app", "Server"]
