package dev.equilibria.decode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class DecodeApplication {

    public static void main(String[] args) {
        SpringApplication.run(DecodeApplication.class, args);
    }
}
