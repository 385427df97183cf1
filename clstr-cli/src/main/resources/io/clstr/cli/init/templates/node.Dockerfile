# Runs your Node.js server; clstr starts one container per node.
# Your server listens on the port of $ADDR (8080 in containers).
FROM node:20-slim
WORKDIR /app
COPY . .
RUN if [ -f package.json ]; then npm install --omit=dev; fi
EXPOSE 8080
CMD ["node", "server.js"]
